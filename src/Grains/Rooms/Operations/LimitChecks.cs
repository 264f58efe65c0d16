using System.Text;
using System.Text.Json;
using Coordinator.Protocol;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>The refusals of <see cref="RoomLimits"/>: each says which limit, so a client can tell.</summary>
internal static class LimitChecks
{
    public const int TooLargeCode = 413;

    public static void AppData(JsonElement? appData, RoomLimits limits)
    {
        if (appData is { } value && Encoding.UTF8.GetByteCount(value.GetRawText()) > limits.MaxAppDataBytes)
        {
            throw new MediasoupError(ErrorClass.Error, $"appData is larger than {limits.MaxAppDataBytes} bytes", TooLargeCode);
        }
    }

    public static void Count(int current, int limit, string what)
    {
        if (current >= limit)
        {
            throw MediasoupError.Forbidden($"too many {what} (limit {limit})");
        }
    }
}
