using Coordinator.Silo.Workers;
using Xunit;

namespace Coordinator.MediaPlane.Tests;

public class WorkerSettingsTests
{
    [Fact]
    public void Builds_argv_like_the_node_lib()
    {
        var options = new WorkerOptions { LogLevel = "warn", RtcIPv4 = "127.0.0.1", RtcIPv6 = "false" };
        var argv = WorkerArguments.Build(options, "unnzdyaa#1", WorkerArguments.PortRangeFor(1, 1, 10000, 29999));
        Assert.Equal(
            ["unnzdyaa#1", "--logLevel=warn", "--rtcIPv4=127.0.0.1", "--rtcIPv6=false", "--rtcMinPort=10000", "--rtcMaxPort=29999"],
            argv);
    }

    [Fact]
    public void Builds_every_optional_flag_with_attached_values()
    {
        var options = new WorkerOptions
        {
            LogLevel = "debug",
            LogTags = ["info", "ice"],
            RtcIPv4 = "127.0.0.1",
            RtcIPv6 = "false",
            RtcAnnouncedIPv4 = "203.0.113.7",
            DtlsCertificateFile = "/etc/cert.pem",
            DtlsPrivateKeyFile = "/etc/key.pem",
        };
        var argv = WorkerArguments.Build(options, "w#2", new PortRange(40000, 40999));
        Assert.Equal(
            [
                "w#2", "--logLevel=debug", "--logTag=info", "--logTag=ice", "--rtcIPv4=127.0.0.1", "--rtcIPv6=false",
                "--rtcAnnouncedIPv4=203.0.113.7", "--dtlsCertificateFile=/etc/cert.pem", "--dtlsPrivateKeyFile=/etc/key.pem",
                "--rtcMinPort=40000", "--rtcMaxPort=40999",
            ],
            argv);
    }

    [Fact]
    public void Splits_the_port_range_like_the_node_lib_without_overlap()
    {
        // numPorts = floor(9999 / 4) = 2499.
        Assert.Equal(new PortRange(20000, 22499), WorkerArguments.PortRangeFor(1, 4, 20000, 29999));
        Assert.Equal(new PortRange(22500, 24997), WorkerArguments.PortRangeFor(2, 4, 20000, 29999));
        Assert.Equal(new PortRange(24998, 27497), WorkerArguments.PortRangeFor(3, 4, 20000, 29999));
        Assert.Equal(new PortRange(27498, 29995), WorkerArguments.PortRangeFor(4, 4, 20000, 29999));

        for (var count = 1; count <= 16; count++)
        {
            var ranges = Enumerable.Range(1, count).Select(i => WorkerArguments.PortRangeFor(i, count, 20000, 29999)).ToArray();
            Assert.All(ranges, r => Assert.True(r.Min % 2 == 0 && r.Max % 2 == 1 && r.Min < r.Max && r.Min >= 20000 && r.Max <= 29999));
            for (var i = 1; i < ranges.Length; i++)
            {
                Assert.True(ranges[i].Min > ranges[i - 1].Max, $"overlap for {count} workers: {ranges[i - 1]} / {ranges[i]}");
            }
        }
    }

    [Fact]
    public void Validation_reports_bad_settings()
    {
        Assert.Empty(new WorkerOptions().Validate());
        var errors = new WorkerOptions
        {
            Count = 0,
            LogLevel = "loud",
            RtcMinPort = 80,
            RequestTimeout = TimeSpan.FromSeconds(8),
            DtlsCertificateFile = "cert.pem",
        }.Validate();
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Object_ids_start_at_1_and_never_reuse_a_live_id()
    {
        var ids = new WorkerObjectIds();
        Assert.Equal(1u, ids.Next());
        Assert.Equal(2u, ids.Next());

        var wrapping = new WorkerObjectIds(first: uint.MaxValue - 1);
        var a = wrapping.Next(); // MaxValue - 1
        var b = wrapping.Next(); // MaxValue
        var c = wrapping.Next(); // wraps, skipping 0
        Assert.Equal([uint.MaxValue - 1, uint.MaxValue, 1u], [a, b, c]);

        var live = new WorkerObjectIds();
        Assert.Equal([1u, 2u, 3u], new[] { live.Next(), live.Next(), live.Next() });
        Assert.True(live.Release(2));
        Assert.False(live.Release(2));
        live.SetLastForTests(uint.MaxValue - 1);
        Assert.Equal(uint.MaxValue, live.Next());
        Assert.Equal(2u, live.Next()); // 0 is never used, 1 and 3 are live
        Assert.Equal(4u, live.Next());
        Assert.Equal(5, live.LiveCount);
        Assert.True(live.IsLive(1));
        Assert.False(live.IsLive(0));
    }
}
