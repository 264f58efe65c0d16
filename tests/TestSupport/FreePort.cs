using System.Net;
using System.Net.Sockets;

namespace Coordinator.TestSupport;

public static class FreePort
{
    // Below Linux's ephemeral range (32768 and up): a port the kernel hands out for port 0 can be taken
    // as the local port of any outgoing connection before the test binds it, which failed a CI run.
    // Above the media workers' RTC ports (20000-29999 by default; the reference server's 10000-19999),
    // which a worker picks at random and could otherwise find taken.
    private const int First = 30000;
    private const int End = 32768;

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback TCP port that was free a moment ago, never the same one twice in this process, and
    /// outside the ranges the kernel and the media workers pick ports from.
    /// </summary>
    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(First, End);
                if (!HandedOut.Contains(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}-{End - 1} after 1000 attempts");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
