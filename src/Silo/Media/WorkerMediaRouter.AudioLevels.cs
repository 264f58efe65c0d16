using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>The router-wide audio levels switch and its 500 ms event.</summary>
public sealed partial class WorkerMediaRouter
{
    public async Task SetAudioLevelsEventAsync(bool enabled, CancellationToken cancellationToken = default)
    {
        // One at a time: the worker never answers a request that repeats the current value
        // (docs/worker-channel.md#rules-that-keep-the-worker-alive).
        await _audioLevelsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                ThrowIfClosedLocked();
                if (_audioLevelsEnabled == enabled)
                {
                    return;
                }
            }

            await RequestAsync("router.setAudioLevelsEvent", RouterTarget(), new EnabledData(enabled), cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _audioLevelsEnabled = enabled;
            }
        }
        finally
        {
            _audioLevelsGate.Release();
        }
    }

    private void OnRouterEvent(WorkerEvent workerEvent)
    {
        if (workerEvent.Name != "audiolevels")
        {
            return;
        }

        lock (_gate)
        {
            if (_closedReason is not null)
            {
                return;
            }

            var levels = AudioLevelsOf(workerEvent.Data);
            Deliver(() => _events.AudioLevels(levels));
        }
    }

    /// <summary><c>{entries:[[workerProducerId, dBov],…]}</c> → protocol ids, unknown ones dropped, loudest first.</summary>
    private List<AudioLevel> AudioLevelsOf(JsonElement? data)
    {
        var levels = new List<AudioLevel>();
        if (data is not { ValueKind: JsonValueKind.Object } payload
            || !payload.TryGetProperty("entries", out var entries)
            || entries.ValueKind != JsonValueKind.Array)
        {
            return levels;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 2
                && entry[0].TryGetUInt32(out var workerProducerId) && entry[1].TryGetInt32(out var dBov)
                && _producers.ProtocolIdsByWorkerId.TryGetValue(workerProducerId, out var producerId))
            {
                levels.Add(new AudioLevel(producerId, dBov));
            }
        }

        // dBov runs from -127 (silence) to 0 (loudest); OrderByDescending is stable.
        return [.. levels.OrderByDescending(level => level.DBov)];
    }
}
