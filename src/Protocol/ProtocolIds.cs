using System.Text.Json;
using Coordinator.Protocol.Messages;

namespace Coordinator.Protocol;

/// <summary>Protocol id rules (docs/protocol.md#identifiers): JSON numbers, uint32 for the worker, unique per Room.</summary>
public static class ProtocolIds
{
    public const uint MinRandom = 10_000_000;
    public const uint MaxRandom = 99_999_999;

    /// <summary>
    /// A client-chosen transport or producer id, <c>id || random</c> as the reference does: a falsy
    /// id means a random one the client will not know. Anything else must be an integer the worker
    /// accepts, or it fails with the worker's text.
    /// </summary>
    public static uint ClientChosen(JsonElement? value, string internalName, Func<uint, bool> inUse)
    {
        if (!JsJson.Truthy(value))
        {
            return Random(inUse);
        }

        return TryRead(value, out var id) ? id : throw MediasoupError.Error($"Request has not numeric internal.{internalName}");
    }

    /// <summary>A server-chosen id in [10000000, 99999999], unused in the Room.</summary>
    public static uint Random(Func<uint, bool> inUse)
    {
        while (true)
        {
            var id = (uint)System.Random.Shared.NextInt64(MinRandom, MaxRandom + 1L);
            if (!inUse(id))
            {
                return id;
            }
        }
    }

    /// <summary>Reads an id to look an object up: a JSON number with an integral uint32 value (17.0 is 17, "17" is not).</summary>
    public static bool TryRead(JsonElement? value, out uint id)
    {
        id = 0;
        if (value is not { ValueKind: JsonValueKind.Number } number || !number.TryGetDouble(out var raw)
            || raw < 0 || raw > uint.MaxValue || Math.Floor(raw) != raw)
        {
            return false;
        }

        id = (uint)raw;
        return true;
    }
}
