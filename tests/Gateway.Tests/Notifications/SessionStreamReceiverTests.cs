using System.Text;
using System.Text.Json;
using Coordinator.Gateway.Connections;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Gateway.Tests.Notifications;

/// <summary>
/// Items lost on a session's stream (a notification queue died with its silo) are asked of the
/// Peer again and written in their place; the socket closes only when the Peer no longer has them.
/// </summary>
public sealed class SessionStreamReceiverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly Guid SessionId = Guid.NewGuid();

    private readonly RecordingOutput _output = new();
    private readonly FakePeer _peer = new();

    private SessionStreamReceiver NewReceiver() => new(_output, _peer.Resend, NullLogger.Instance);

    [Fact]
    public async Task A_gap_is_filled_from_the_peer_and_later_copies_are_dropped()
    {
        var receiver = NewReceiver();
        _peer.Published(1, 2, 3, 4);

        receiver.OnItem(Item(1));
        receiver.OnItem(Item(4)); // 2 and 3 were lost

        await Eventually.True(() => _output.Seqs.Count == 4, Timeout, "the gap to be filled");
        receiver.OnItem(Item(2)); // a late copy
        receiver.OnItem(Item(5));

        Assert.Equal([1, 2, 3, 4, 5], _output.Seqs);
        Assert.Equal([2L], _peer.AskedFrom);
        Assert.Null(_output.CloseCode);
    }

    [Fact]
    public async Task A_gap_the_peer_no_longer_holds_closes_the_socket_for_a_rejoin()
    {
        var receiver = NewReceiver();
        _peer.Forgotten = true;

        receiver.OnItem(Item(1));
        receiver.OnItem(Item(3));

        await Eventually.True(() => _output.CloseCode is not null, Timeout, "the socket to close");
        Assert.Equal(CloseCodes.ReconnectAndRejoin, _output.CloseCode);
        Assert.Contains("notifications lost (expected seq 2)", _output.CloseReason);
        Assert.Equal([1], _output.Seqs);
    }

    [Fact]
    public async Task A_peer_that_cannot_be_asked_closes_the_socket_for_a_rejoin()
    {
        var receiver = NewReceiver();
        _peer.Failure = new TimeoutException("no answer");

        receiver.OnItem(Item(2));

        await Eventually.True(() => _output.CloseCode is not null, Timeout, "the socket to close");
        Assert.Equal(CloseCodes.ReconnectAndRejoin, _output.CloseCode);
        Assert.Empty(_output.Seqs);
    }

    [Fact]
    public async Task An_answer_waiting_for_lost_notifications_gets_them_from_the_peer_and_follows_them()
    {
        var receiver = NewReceiver();
        _peer.Published(1, 2);
        receiver.RequestStarted();

        var written = receiver.AnswerAsync(Answer, notifiedThrough: 2); // 1 and 2 never come on the stream

        await written.WaitAsync(SessionStreamReceiver.AskPeerAfter + Timeout);
        Assert.Equal(["n1", "n2", "answer"], _output.Frames);
        Assert.Null(_output.CloseCode);
    }

    [Fact]
    public async Task A_check_after_a_silo_loss_brings_a_lost_last_item()
    {
        var receiver = NewReceiver();
        _peer.Published(1, 2);
        receiver.OnItem(Item(1));

        receiver.CheckForLostItems(); // 2 was lost, and nothing after it would show the gap

        await Eventually.True(() => _output.Seqs.Count == 2, Timeout, "the last item to be recovered");
        Assert.Equal([1, 2], _output.Seqs);
        Assert.Null(_output.CloseCode);
    }

    [Fact]
    public async Task A_check_that_finds_nothing_missing_changes_nothing()
    {
        var receiver = NewReceiver();
        _peer.Published(1);
        receiver.OnItem(Item(1));

        receiver.CheckForLostItems();

        await Eventually.True(() => _peer.AskedFrom.Count == 1, Timeout, "the peer to be asked");
        receiver.OnItem(Item(2));
        Assert.Equal([1, 2], _output.Seqs);
        Assert.Null(_output.CloseCode);
    }

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"response":true,"id":1,"ok":true}""");

    private static SessionStreamItem Item(long seq) => new()
    {
        SessionId = SessionId,
        Seq = seq,
        Notification = JsonSerializer.SerializeToElement(new { method = $"n{seq}", target = "peer", notification = true }),
    };

    /// <summary>Plays the Peer grain's <c>Resend</c>: holds the items it published, unless told it forgot them.</summary>
    private sealed class FakePeer
    {
        private readonly List<SessionStreamItem> _published = [];

        public List<long> AskedFrom { get; } = [];

        public bool Forgotten { get; set; }

        public Exception? Failure { get; set; }

        public void Published(params long[] seqs) => _published.AddRange(seqs.Select(Item));

        public async Task<SessionStreamItem[]?> Resend(long fromSeq)
        {
            await Task.Yield(); // answered later, as a grain call is
            lock (AskedFrom)
            {
                AskedFrom.Add(fromSeq);
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            return Forgotten ? null : [.. _published.Where(item => item.Seq >= fromSeq)];
        }
    }

    /// <summary>The session's socket: the frames written (a notification by its method) and the close.</summary>
    private sealed class RecordingOutput : ISessionOutput
    {
        private readonly List<string> _frames = [];

        public bool Closing => CloseCode is not null;

        public int? CloseCode { get; private set; }

        public string? CloseReason { get; private set; }

        public List<string> Frames
        {
            get
            {
                lock (_frames)
                {
                    return [.. _frames];
                }
            }
        }

        public List<long> Seqs => [.. Frames.Where(frame => frame.StartsWith('n')).Select(frame => long.Parse(frame[1..]))];

        public void Send(byte[] frame, long publishedAtTicks = 0)
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            var name = root.TryGetProperty("data", out var data) ? data.GetProperty("method").GetString()! : "answer";
            lock (_frames)
            {
                _frames.Add(name);
            }
        }

        public void Close(int code, string reason)
        {
            if (CloseCode is null)
            {
                CloseReason = reason;
                CloseCode = code;
            }
        }
    }
}
