using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>The checks every Room and Peer applies before dispatching (docs/protocol.md#validation).</summary>
public static class MessageValidation
{
    /// <summary>The checks a Room makes before it dispatches a request: closed first, then the request itself.</summary>
    public static string RoomRequest(bool roomClosed, JsonElement request) =>
        roomClosed ? throw RoomClosed() : RequestMethod(request);

    /// <summary>Returns the request's method or throws the reference's TypeError.</summary>
    public static string RequestMethod(JsonElement request)
    {
        if (!IsJsObject(request))
        {
            throw MediasoupError.Type("wrong request Object");
        }

        if (JsJson.Truthy(JsJson.Property(request, "notification")))
        {
            throw MediasoupError.Type("not a request");
        }

        return JsJson.StringProperty(request, "method")
            ?? throw MediasoupError.Type("wrong/missing request method");
    }

    /// <summary>Returns the notification's method or throws the reference's TypeError.</summary>
    public static string NotificationMethod(JsonElement notification)
    {
        if (!IsJsObject(notification))
        {
            throw MediasoupError.Type("wrong notification Object");
        }

        if (JsJson.Property(notification, "notification")?.ValueKind != JsonValueKind.True)
        {
            throw MediasoupError.Type("not a notification");
        }

        return JsJson.StringProperty(notification, "method")
            ?? throw MediasoupError.Type("wrong/missing notification method");
    }

    /// <summary><c>typeof value === 'object'</c> for a value that is not null: arrays pass, as in JavaScript.</summary>
    private static bool IsJsObject(JsonElement value) => value.ValueKind is JsonValueKind.Object or JsonValueKind.Array;

    public static MediasoupError UnknownRequestMethod(string method) =>
        MediasoupError.Error($"unknown request method \"{method}\"");

    public static MediasoupError UnknownNotificationMethod(string method) =>
        MediasoupError.Error($"unknown notification method \"{method}\"");

    /// <summary>What a closed Room or Peer answers to everything (the Peer also says "Room closed").</summary>
    public static MediasoupError RoomClosed() => MediasoupError.InvalidState("Room closed");
}
