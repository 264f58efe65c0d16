using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// One peer session of a <see cref="FrontendLink"/>: what a protoo socket of its own is to a browser.
/// Its frames carry its session id; ending it from this side is <c>closeSession</c>.
/// </summary>
internal sealed class FrontendSessionChannel(FrontendLink link, string id, Action<JsonElement, long> onNotification) : IPeerChannel
{
    /// <summary>The close code of a session this side closed (the gateway sends none for it).</summary>
    public const int ClosedByFrontend = 1000;

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private (int? Code, string? Description) _close;

    public string Id { get; } = id;

    public Task Closed => _closed.Task;

    public int? CloseCode => _closed.Task.IsCompleted ? _close.Code : null;

    public string? CloseDescription => _closed.Task.IsCompleted ? _close.Description : null;

    public async Task<JsonElement> RequestAsync(string method, JsonNode data)
    {
        ThrowIfEnded();
        var response = link.RequestAsync(new JsonObject { ["session"] = Id, ["method"] = method, ["data"] = data });

        // As protoo-client does for a closed socket: a request of a session that ends fails at once (the gateway drops it unanswered).
        if (await Task.WhenAny(response, _closed.Task) != response)
        {
            throw new WebSocketException($"the session ended before the response ({CloseCode} {CloseDescription})");
        }

        return await response;
    }

    public Task NotifyAsync(string method, JsonNode data)
    {
        ThrowIfEnded();
        link.Send(new JsonObject { ["notification"] = true, ["session"] = Id, ["method"] = method, ["data"] = data });
        return Task.CompletedTask;
    }

    public async Task CloseAsync()
    {
        if (!_closed.Task.IsCompleted)
        {
            await link.CloseSessionAsync(this);
            Ended(ClosedByFrontend, "closeSession");
        }
    }

    /// <summary>On the link's receive loop: a notification of this session.</summary>
    public void Deliver(JsonElement frame, long arrival) => onNotification(frame, arrival);

    /// <summary>The session ended (the gateway's <c>sessionClosed</c>, this side's <c>closeSession</c>, or the connection's end); the first end counts.</summary>
    public void Ended(int? code, string? description)
    {
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
            {
                return;
            }

            _close = (code, description);
            _closed.TrySetResult();
        }
    }

    public ValueTask DisposeAsync()
    {
        link.Forget(this);
        return ValueTask.CompletedTask;
    }

    private void ThrowIfEnded()
    {
        if (_closed.Task.IsCompleted)
        {
            throw new WebSocketException($"the session has ended ({CloseCode} {CloseDescription})");
        }
    }
}
