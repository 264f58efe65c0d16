using Coordinator.Silo.Hosting;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>The cluster of local processes with mutual TLS on (Orleans:Tls), shared by the tests of <see cref="ClusterTlsTests"/>.</summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync(tls: true);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Silo-to-silo and gateway-to-silo traffic over mutual TLS: the cluster serves through both
/// gateways, and a silo or a gateway without a certificate from the cluster CA stays out, while
/// the cluster carries on.
/// </summary>
public sealed class ClusterTlsTests(TlsClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TlsClusterFixture>
{
    /// <summary>A refused silo gives up its join within this; a refused gateway has tried to connect several times.</summary>
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(120);

    /// <summary>Failed attempts of a refused gateway to connect to the silos (each is logged by Orleans), two per silo.</summary>
    private const int FailedAttempts = 4;

    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Peers_on_two_gateways_see_each_other_over_mutual_TLS()
    {
        foreach (var (name, (process, _)) in Cluster.Silos.Concat(Cluster.Gateways).Where(node => node.Key is "silo1" or "silo2" or "gateway1" or "gateway2"))
        {
            Assert.True(process.Output().Contains("Cluster TLS on", StringComparison.Ordinal), $"{name} did not report TLS on:\n{process.Output()}");
        }

        await AssertClusterServesAsync();
    }

    [Fact]
    public async Task A_silo_with_a_certificate_from_another_CA_cannot_join()
    {
        // The intruder trusts the cluster CA as well as its own: only the cluster's refusal keeps it out.
        var intruderCa = TestCertificates.NewAuthority("intruder CA");
        var tls = Cluster.Certificates.Issue("intruder-silo", intruderCa, intruderCa, Cluster.Authority!);
        var (intruder, _) = Cluster.LaunchSilo("intruder-silo", "silo2", tls);
        var intruderPort = Cluster.Silos["intruder-silo"].SiloPort;

        await intruder.WaitForExitAsync(RefusalBound);
        output.WriteLine($"intruder silo exited with {intruder.ExitCode}");
        Assert.True(intruder.ExitCode != 0, $"the intruder silo exited with 0:\n{intruder.Output()}");

        var hosts = await Cluster.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false);
        output.WriteLine(string.Join(", ", hosts.Select(host => $"{host.Key}: {host.Value}")));
        Assert.DoesNotContain(hosts, host => host.Key.Endpoint.Port == intruderPort && host.Value == SiloStatus.Active);
        foreach (var silo in new[] { "silo1", "silo2" })
        {
            Assert.Contains(hosts, host => host.Key.Endpoint.Port == Cluster.Silos[silo].SiloPort && host.Value == SiloStatus.Active);
        }

        Assert.Contains("refused a peer whose certificate (subject CN=intruder-silo", SiloOutput(), StringComparison.Ordinal);
        await AssertClusterServesAsync();
    }

    [Fact]
    public async Task A_gateway_without_a_certificate_from_the_cluster_CA_cannot_connect()
    {
        var intruderCa = TestCertificates.NewAuthority("intruder CA");
        Cluster.LaunchGateway("intruder-gateway", "gateway1", Cluster.Certificates.Issue("intruder-gateway", intruderCa, intruderCa, Cluster.Authority!));
        Cluster.LaunchGateway("plaintext-gateway", "gateway2", new ClusterTlsOptions { Enabled = false });

        await Task.WhenAll(AssertRefusedAsync("intruder-gateway"), AssertRefusedAsync("plaintext-gateway"));
        Assert.Contains("refused a peer whose certificate (subject CN=intruder-gateway", SiloOutput(), StringComparison.Ordinal);
        await AssertClusterServesAsync();
    }

    /// <summary>
    /// The gateway stops with a non-zero code, or it keeps trying: it is never ready while each of
    /// its attempts to connect to a silo fails, and it is not ready after <see cref="FailedAttempts"/> of them.
    /// </summary>
    private async Task AssertRefusedAsync(string name)
    {
        var gateway = Cluster.Gateways[name].Process;
        await Eventually.True(
            async () =>
            {
                if (gateway.HasExited)
                {
                    return true;
                }

                Assert.False(await IsReadyAsync(name), $"{name} became ready:\n{gateway.Output()}");
                return Occurrences(gateway.Output(), "Connection attempt to endpoint") >= FailedAttempts;
            },
            RefusalBound,
            $"{name} to stop or to fail {FailedAttempts} connection attempts");

        if (gateway.HasExited)
        {
            Assert.True(gateway.ExitCode != 0, $"{name} exited with 0:\n{gateway.Output()}");
        }
        else
        {
            Assert.False(await IsReadyAsync(name), $"{name} became ready:\n{gateway.Output()}");
        }

        output.WriteLine(gateway.HasExited
            ? $"{name} exited with {gateway.ExitCode}"
            : $"{name} still running, not ready, after {Occurrences(gateway.Output(), "Connection attempt to endpoint")} failed connection attempts");
    }

    /// <summary>Not ready, or not listening (yet).</summary>
    private async Task<bool> IsReadyAsync(string gateway)
    {
        try
        {
            return await Cluster.IsReadyAsync(gateway);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private string SiloOutput() => Cluster.Silos["silo1"].Process.Output() + Cluster.Silos["silo2"].Process.Output();

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task A_node_with_TLS_on_and_unusable_files_stops_at_start_with_the_reason()
    {
        var tls = Cluster.Certificates.Issue("misconfigured-gateway", Cluster.Authority!);
        tls.KeyPath += ".missing";
        var (gateway, _) = Cluster.LaunchGateway("misconfigured-gateway", "gateway1", tls);

        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(gateway.ExitCode != 0, $"exited with 0:\n{gateway.Output()}");
        Assert.Contains($"Orleans:Tls:KeyPath: the file {tls.KeyPath} does not exist.", gateway.Output(), StringComparison.Ordinal);
    }

    /// <summary>A room with a peer on each gateway: each learns of the other, and of the other's leaving.</summary>
    private async Task AssertClusterServesAsync()
    {
        var room = $"tls-{Guid.NewGuid():N}";
        await using var alice = await Cluster.ConnectAsync("gateway1", room, "alice");
        await using var bob = await Cluster.ConnectAsync("gateway2", room, "bob");
        await alice.JoinAsync();
        await bob.JoinAsync();
        await alice.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "bob");
        await alice.NotifyAsync("mediasoup-notification", Requests.Notification("leave"));
        await bob.Closed("alice");
        Assert.Null(alice.CloseStatus);
        Assert.Null(bob.CloseStatus);
    }
}
