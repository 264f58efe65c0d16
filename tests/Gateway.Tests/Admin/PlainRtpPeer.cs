using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Admin;

/// <summary>
/// A peer whose media goes over a plain RTP transport to a loopback UDP socket of the test, so a
/// real worker counts real packets: it sends RTP with the captured audio producer's ssrc and
/// payload type, and it can receive its consumers' RTP.
/// </summary>
internal sealed class PlainRtpPeer(ProtooClient client) : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private Task _sending = Task.CompletedTask;

    public ProtooClient Client => client;

    private int LocalPort => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    /// <summary>A plain transport whose remote address is this peer's UDP socket; returns its id and the worker's port.</summary>
    public async Task<(uint Id, int WorkerPort)> CreateTransportAsync(string direction)
    {
        var id = Requests.NewId();
        var data = await client.MediasoupAsync(new
        {
            method = "createTransport",
            target = "peer",
            id,
            direction,
            options = new { },
            plainRtpParameters = new { ip = "127.0.0.1", port = LocalPort },
        }).Ok();
        return (id, data.GetProperty("plainRtpParameters").GetProperty("port").GetInt32());
    }

    /// <summary>Produces the captured audio on a new plain transport and starts sending it 50 packets a second.</summary>
    public async Task<uint> ProduceAudioAsync()
    {
        var (transport, workerPort) = await CreateTransportAsync("send");
        var producer = Requests.NewId();
        var request = Requests.Producer(producer, transport, "audio");
        await client.MediasoupAsync(request).Ok();
        var rtp = request["rtpParameters"]!;
        var ssrc = rtp["encodings"]![0]!["ssrc"]!.GetValue<uint>();
        var payloadType = rtp["codecs"]![0]!["payloadType"]!.GetValue<byte>();
        _sending = SendAsync(new IPEndPoint(IPAddress.Loopback, workerPort), ssrc, payloadType, _stop.Token);
        return producer;
    }

    /// <summary>Enables every consumer announced so far (waiting for <paramref name="count"/>) on a new plain receive transport.</summary>
    public async Task EnableConsumersAsync(int count)
    {
        var (transport, _) = await CreateTransportAsync("recv");
        await client.EnableConsumers(transport, count);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        _udp.Dispose();
        _stop.Dispose();
    }

    private async Task SendAsync(IPEndPoint worker, uint ssrc, byte payloadType, CancellationToken stop)
    {
        var packet = new byte[12 + 80];
        packet[0] = 0x80; // version 2, no padding, no extension, no CSRC
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (ushort sequence = 1; !stop.IsCancellationRequested; sequence++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
            await _udp.SendAsync(packet, worker, CancellationToken.None);
            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
