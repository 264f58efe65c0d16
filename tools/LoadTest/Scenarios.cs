using System.Diagnostics;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// The peers of one room meet at each phase boundary (all produced, all enabled, all saw the pauses),
/// so every peer gets the same consumers and notifications whatever the timing. A failed peer drops out.
/// </summary>
internal sealed class RoomRendezvous(int participants)
{
    private readonly Lock _gate = new();
    private int _participants = participants;
    private int _arrived;
    private TaskCompletionSource<int> _phase = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Arrives and waits for the others; returns how many peers are still taking part.</summary>
    public async Task<int> ArriveAndWaitAsync(RunContext context, string phase)
    {
        Task<int> released;
        lock (_gate)
        {
            released = _phase.Task;
            _arrived++;
            ReleaseIfComplete();
        }

        try
        {
            return await released.WaitAsync(context.Options.Timeout * 3);
        }
        catch (TimeoutException)
        {
            context.Recorder.Error($"room rendezvous \"{phase}\" timed out (a peer of the room is stuck)");
            throw new StepFailedException(phase);
        }
    }

    public void Drop()
    {
        lock (_gate)
        {
            _participants--;
            ReleaseIfComplete();
        }
    }

    private void ReleaseIfComplete()
    {
        if (_arrived > 0 && _arrived >= _participants)
        {
            var phase = _phase;
            _phase = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _arrived = 0;
            phase.TrySetResult(_participants);
        }
    }
}

/// <summary>The three load shapes.</summary>
internal static class Scenarios
{
    private static readonly TimeSpan BackOffAfterError = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// R rooms × P peers: rooms run min(R, connections / P) at a time, R × iterations rounds in all
    /// (or until the duration ends); each round is a fresh room whose peers all run <see cref="FullPeerAsync"/>.
    /// </summary>
    public static async Task FullAsync(RunContext context)
    {
        var options = context.Options;
        var peers = options.EffectivePeers;
        var concurrentRooms = Math.Max(1, Math.Min(options.EffectiveRooms, options.EffectiveConnections / peers));
        var rounds = options.EffectiveIterations is { } iterations ? (long)iterations * options.EffectiveRooms : long.MaxValue;
        long next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrentRooms).Select(async _ =>
        {
            await Task.Yield();
            while (!context.Stop.IsCancellationRequested)
            {
                var round = Interlocked.Increment(ref next);
                if (round >= rounds)
                {
                    break;
                }

                var room = $"load-{context.RunId}-{round}";
                var rendezvous = new RoomRendezvous(peers);
                await Task.WhenAll(Enumerable.Range(0, peers).Select(index => FullPeerAsync(context, room, index, rendezvous)));
            }
        }));
    }

    /// <summary>
    /// queryRoom, join, createTransport send and recv, updateTransport (recv), createProducer audio and video;
    /// then enableConsumer for every consumer (join response and newConsumer); pauseProducer and
    /// resumeProducer of the audio producer (consumerPaused / consumerResumed at the others); leave (in
    /// turn, peerClosed at the others) and close.
    /// </summary>
    private static async Task FullPeerAsync(RunContext context, string room, int index, RoomRendezvous rendezvous)
    {
        await Task.Yield();
        var name = $"peer{index}";
        var start = Stopwatch.GetTimestamp();
        var takingPart = true;
        LoadPeer? peer = null;
        try
        {
            peer = await LoadPeer.ConnectAsync(context, room, name);
            await peer.RequestAsync(CapturedPayloads.QueryRoom());
            await peer.JoinAsync();
            var sendTransport = await peer.CreateTransportAsync(send: true);
            var recvTransport = await peer.CreateTransportAsync(send: false);
            await peer.NotifyAsync(context.Payloads.UpdateTransport(recvTransport));
            var audio = await peer.CreateProducerAsync("audio", sendTransport);
            await peer.CreateProducerAsync("video", sendTransport);

            var others = await rendezvous.ArriveAndWaitAsync(context, "all produced") - 1;
            await peer.WaitUntilAsync(p => p.ConsumerCount >= 2 * others, $"{2 * others} consumers (join response and newConsumer)");
            foreach (var consumer in peer.ConsumerIds)
            {
                await peer.RequestAsync(CapturedPayloads.EnableConsumer(consumer, recvTransport));
            }

            others = await rendezvous.ArriveAndWaitAsync(context, "all consumers enabled") - 1;
            peer.Trigger(RunContext.Keys.ConsumerPaused(room, name));
            await peer.NotifyAsync(CapturedPayloads.PeerNotification("pauseProducer", audio));
            await peer.WaitUntilAsync(p => p.ConsumerPausedCount >= others, $"{others} consumerPaused");
            peer.Trigger(RunContext.Keys.ConsumerResumed(room, name));
            await peer.NotifyAsync(CapturedPayloads.PeerNotification("resumeProducer", audio));
            await peer.WaitUntilAsync(p => p.ConsumerResumedCount >= others, $"{others} consumerResumed");

            await rendezvous.ArriveAndWaitAsync(context, "all paused and resumed");
            takingPart = false;

            // Leave one after the other (peer k after the k peers before it), so that every leave
            // is seen by the peers still there and peerClosed delivery is measured too.
            await peer.WaitUntilAsync(p => p.PeerClosedCount >= index, $"peerClosed of the {index} peers leaving before it");
            await peer.LeaveAndCloseAsync();
            context.Recorder.CompletedOne("peer session", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (StepFailedException)
        {
        }
        finally
        {
            if (takingPart)
            {
                rendezvous.Drop();
            }

            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The sequence, repeated by every connection: connect → join → createTransport (send, UDP and
    /// TCP) → createProducer (audio) → leave and close. Connection w always uses room w / P under a new
    /// peer name, so each room holds up to P peers that see each other's newPeer, newConsumer and peerClosed.
    /// Paced (<c>--rate</c>), each group of P turns starts together in one room instead, so that a room's
    /// sequences overlap as they do unpaced and notifications are measured at the offered load too.
    /// </summary>
    public static async Task SequenceAsync(RunContext context)
    {
        var options = context.Options;
        var roomSize = options.EffectivePeers;
        var rooms = Math.Max(1, options.EffectiveConnections / roomSize);
        var perConnection = options.EffectiveIterations;
        var pacer = options.Rate is { } rate ? new SequencePacer(rate, roomSize) : null;
        await Task.WhenAll(Enumerable.Range(0, options.EffectiveConnections).Select(async worker =>
        {
            await Task.Yield();
            for (var k = 0; (perConnection is null || k < perConnection) && !context.Stop.IsCancellationRequested; k++)
            {
                var (room, name) = ($"seq-{context.RunId}-{worker / roomSize}", $"p{worker % roomSize}-{k}");
                if (pacer is not null)
                {
                    if (await WaitTurnAsync(pacer, context.Stop) is not { } turn)
                    {
                        break;
                    }

                    (room, name) = ($"seq-{context.RunId}-{turn / roomSize % rooms}", $"t{turn}");
                }

                if (!await SequenceOnceAsync(context, room, name))
                {
                    await Task.Delay(BackOffAfterError);
                }
            }
        }));
    }

    /// <summary>The turn's number, or null when the run stopped while waiting.</summary>
    private static async Task<long?> WaitTurnAsync(SequencePacer pacer, CancellationToken stop)
    {
        try
        {
            return await pacer.WaitTurnAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<bool> SequenceOnceAsync(RunContext context, string room, string name)
    {
        var start = Stopwatch.GetTimestamp();
        LoadPeer? peer = null;
        try
        {
            peer = await LoadPeer.ConnectAsync(context, room, name);
            await peer.JoinAsync();
            var transport = await peer.CreateTransportAsync(send: true);
            await peer.CreateProducerAsync("audio", transport);
            await peer.LeaveAndCloseAsync();
            context.Recorder.CompletedOne("sequence", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return true;
        }
        catch (StepFailedException)
        {
            return false;
        }
        finally
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A room of P peers that each publish audio and video; then warm-up joins, then the measured joins of
    /// a new peer (connections at a time), each timed until its join response with its 2 × P consumers
    /// arrives, then leave and close. The members record newPeer and peerClosed delivery.
    /// </summary>
    public static async Task JoinLargeAsync(RunContext context, TextWriter? progress)
    {
        var options = context.Options;
        var size = options.EffectivePeers;
        var room = $"large-{context.RunId}";
        var members = new List<LoadPeer>(size);
        try
        {
            var setup = Stopwatch.GetTimestamp();
            for (var i = 0; i < size; i++)
            {
                var member = await LoadPeer.ConnectAsync(context, room, $"member-{i}");
                members.Add(member);
                await member.JoinAsync();
                var transport = await member.CreateTransportAsync(send: true);
                await member.CreateProducerAsync("audio", transport);
                await member.CreateProducerAsync("video", transport);
            }

            foreach (var member in members)
            {
                await member.WaitUntilAsync(p => p.ConsumerCount >= 2 * (size - 1), $"{member.Name}'s {2 * (size - 1)} consumers");
            }

            progress?.WriteLine($"room {room}: {size} peers publishing audio and video, set up in {Stopwatch.GetElapsedTime(setup).TotalSeconds:0.0} s");

            await JoinsAsync(context, room, size, options.WarmupJoins, "warm-up");
            foreach (var member in members)
            {
                // The warm-up's last peerClosed notifications belong to the warm-up.
                await member.WaitUntilAsync(p => p.PeerClosedCount >= options.WarmupJoins, $"{member.Name}'s peerClosed of the warm-up joiners");
            }

            context.BeginMeasurement();
            await JoinsAsync(context, room, size, options.EffectiveIterations ?? 100, "measured");

            // The last joiners' newPeer and peerClosed may still be on their way to the members: wait for
            // them (a peerClosed comes after its newPeer), so that every measured notification is counted.
            var left = options.WarmupJoins + context.Recorder.Completed;
            foreach (var member in members)
            {
                await member.WaitUntilAsync(p => p.PeerClosedCount >= left, $"{member.Name}'s peerClosed of the measured joiners");
            }
        }
        catch (StepFailedException exception)
        {
            progress?.WriteLine($"join-large setup failed: {exception.Message}");
        }
        finally
        {
            await Task.WhenAll(members.Select(member => member.DisposeAsync().AsTask()));
        }
    }

    private static async Task JoinsAsync(RunContext context, string room, int size, int count, string label)
    {
        long next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(context.Options.EffectiveConnections, Math.Max(count, 1))).Select(async _ =>
        {
            await Task.Yield();
            while (!context.Stop.IsCancellationRequested)
            {
                var k = Interlocked.Increment(ref next);
                if (k >= count)
                {
                    break;
                }

                LoadPeer? joiner = null;
                try
                {
                    joiner = await LoadPeer.ConnectAsync(context, room, $"joiner-{label}-{k}");
                    await joiner.JoinAsync();
                    if (joiner.ConsumerCount != 2 * size)
                    {
                        context.Recorder.Error($"join: the response had {joiner.ConsumerCount} consumers instead of {2 * size}");
                    }

                    await joiner.LeaveAndCloseAsync();
                    context.Recorder.CompletedOne();
                }
                catch (StepFailedException)
                {
                    await Task.Delay(BackOffAfterError);
                }
                finally
                {
                    if (joiner is not null)
                    {
                        await joiner.DisposeAsync();
                    }
                }
            }
        }));
    }
}
