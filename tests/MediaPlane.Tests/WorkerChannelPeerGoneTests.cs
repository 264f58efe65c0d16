using System.Net.Sockets;
using System.Text;
using Coordinator.Silo.Workers;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests;

/// <summary>
/// A worker that prints its reason and exits at once (a configuration error) must not lose that
/// reason when the host's first request then fails to write: the reader takes what the worker wrote.
/// </summary>
public sealed class WorkerChannelPeerGoneTests(ITestOutputHelper output)
{
    private const int Attempts = 100;

    [Fact]
    public async Task A_failed_write_still_lets_the_reader_take_what_the_worker_wrote_before_it_went()
    {
        var lost = 0;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (host, worker) = await ConnectedPairAsync();
            worker.Send(Encoding.ASCII.GetBytes("30:E[id:gone] configuration error,"));
            worker.Close();

            var problems = new RecentLines();
            var channel = new WorkerChannel("gone", host, TimeSpan.FromSeconds(5), logger: null, problems);
            var request = await Record.ExceptionAsync(() => channel.RequestAsync("worker.dump"));
            Assert.IsType<WorkerClosedException>(request);
            await channel.Completion.WaitAsync(TimeSpan.FromSeconds(5));

            if (!problems.Snapshot().Contains("E[id:gone] configuration error"))
            {
                lost++;
                output.WriteLine($"attempt {attempt}: lost; closed because {await channel.WhenClosed}");
            }

            await channel.DisposeAsync();
        }

        Assert.Equal(0, lost);
    }

    private static async Task<(Socket Host, Socket Worker)> ConnectedPairAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"channel-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        try
        {
            var host = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await host.ConnectAsync(new UnixDomainSocketEndPoint(path));
            var worker = await listener.AcceptAsync();
            return (host, worker);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
