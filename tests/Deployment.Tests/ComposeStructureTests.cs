using System.Globalization;
using YamlDotNet.RepresentationModel;
using static Coordinator.Deployment.Tests.ComposeFile;

namespace Coordinator.Deployment.Tests;

/// <summary>The facts of docker/docker-compose.yml that the cluster depends on and `config -q` cannot see.</summary>
public sealed class ComposeStructureTests
{
    private static readonly string[] Silos = ["silo1", "silo2"];
    private static readonly string[] Gateways = ["gateway1", "gateway2"];

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void There_are_exactly_the_five_services_of_the_cluster()
    {
        Assert.Equal(["gateway1", "gateway2", "redis", "silo1", "silo2"], _compose.Services.Keys.Order());
    }

    [Fact]
    public void Docker_compose_1_29_schema_has_no_top_level_name()
    {
        Assert.Null(Child(_compose.Root, "name"));
    }

    [Fact]
    public void Every_service_restarts_unless_stopped_and_has_a_health_check()
    {
        foreach (var (name, service) in _compose.Services)
        {
            Assert.True(Scalar(service, "restart", name) == "unless-stopped", $"{name}: restart must be unless-stopped");
            var test = Scalars(Mapping(service, "healthcheck", name), "test", name);
            Assert.True(test.Count > 1 && test[0] is "CMD" or "CMD-SHELL", $"{name}: healthcheck test must be [CMD, ...] or [CMD-SHELL, ...]");
        }
    }

    [Fact]
    public void Redis_persists_to_an_append_only_file_in_a_named_volume_and_never_evicts()
    {
        var redis = _compose.Services["redis"];
        var command = Scalars(redis, "command", "redis");

        Assert.Equal("redis-server", command[0]);
        Assert.Equal("yes", Option(command, "--appendonly"));
        Assert.Equal("noeviction", Option(command, "--maxmemory-policy"));
        // The redis image keeps its data in /data; a named volume outlives the container.
        var volume = Assert.Single(Scalars(redis, "volumes", "redis"), v => v.EndsWith(":/data", StringComparison.Ordinal));
        var name = volume[..volume.IndexOf(':')];
        Assert.True(!name.StartsWith('/') && !name.StartsWith('.'), $"redis: /data must be a named volume, not the bind mount {volume}");
        Assert.True(Child(Mapping(_compose.Root, "volumes"), name) is not null, $"the volume {name} must be declared under the top-level volumes");
    }

    [Fact]
    public void Silos_listen_on_every_interface_of_their_container()
    {
        // A silo listens on its advertised address by default; in a container the health check
        // reaches the gateway port on 127.0.0.1, so the compose file must say 0.0.0.0 itself.
        foreach (var name in Silos)
        {
            Assert.Equal("0.0.0.0", Environment(_compose.Services[name], name)["Orleans__ListenAddress"]);
        }
    }

    [Fact]
    public void Every_environment_is_a_mapping_of_plain_strings()
    {
        foreach (var (name, service) in _compose.Services.Where(s => Child(s.Value, "environment") is not null))
        {
            Assert.True(Child(service, "environment") is YamlMappingNode, $"{name}: environment must be a mapping (KEY: value), not a list");
            foreach (var (key, value) in Environment(service, name))
            {
                // Only ${NAME:-default} and ${NAME:?message} interpolation: a cluster test expands them itself.
                var rest = System.Text.RegularExpressions.Regex.Replace(value, @"\$\{[A-Z_][A-Z0-9_]*:[-?][^}]*\}", "");
                Assert.True(!rest.Contains('$'), $"{name}: {key}={value} uses other interpolation than ${{NAME:-default}} / ${{NAME:?message}}");
            }
        }
    }

    [Fact]
    public void Each_silo_publishes_its_own_rtc_port_range_over_udp_and_tcp()
    {
        var ranges = new List<PortRange>();
        foreach (var name in Silos)
        {
            var service = _compose.Services[name];
            var env = Environment(service, name);
            var range = new PortRange(Port(env["MediaWorkers__RtcMinPort"]), Port(env["MediaWorkers__RtcMaxPort"]));
            var published = Scalars(service, "ports", name).Select(PortMapping.Parse).ToList();
            foreach (var protocol in new[] { "udp", "tcp" })
            {
                Assert.True(
                    published.Contains(new PortMapping(range, range, protocol)),
                    $"{name}: its RTC ports {range.First}-{range.Last} must be published as {protocol} on the same host ports; ports: {string.Join(", ", published)}");
            }

            Assert.DoesNotContain(ranges, other => other.Overlaps(range));
            ranges.Add(range);
        }

        Assert.Equal([new PortRange(40000, 40099), new PortRange(40100, 40199)], ranges);
    }

    [Fact]
    public void Silos_join_the_redis_cluster_and_announce_a_configurable_address()
    {
        foreach (var name in Silos)
        {
            var env = Environment(_compose.Services[name], name);
            Assert.Equal("Redis", env["Orleans__MembershipStore"]);
            Assert.Equal("redis:6379", env["Orleans__RedisConnectionString"]);
            Assert.Equal("true", env["MediaWorkers__RtcIPv4"]);
            Assert.Equal("${ANNOUNCED_IP:-127.0.0.1}", env["MediaWorkers__RtcAnnouncedIPv4"]);
        }
    }

    [Fact]
    public void Gateways_publish_4443_and_4444_and_require_a_signing_key()
    {
        var hostPorts = new List<int>();
        foreach (var name in Gateways)
        {
            var service = _compose.Services[name];
            var env = Environment(service, name);
            Assert.Equal("Gateway", env["Node__Mode"]);
            Assert.StartsWith("${COORDINATOR_SIGNING_KEY:?", env["Gateway__Tokens__SigningKey"], StringComparison.Ordinal);
            var mapping = PortMapping.Parse(Assert.Single(Scalars(service, "ports", name)));
            Assert.Equal(Port(env["Gateway__Port"]), mapping.Container.First);
            hostPorts.Add(mapping.Host.First);
        }

        Assert.Equal([4443, 4444], hostPorts);
    }

    [Fact]
    public void Services_wait_for_healthy_dependencies()
    {
        foreach (var (name, service) in _compose.Services.Where(s => s.Key != "redis"))
        {
            var dependsOn = Mapping(service, "depends_on", name);
            var expected = Silos.Contains(name) ? ["redis"] : new[] { "redis", "silo1", "silo2" };
            Assert.Equal(expected, dependsOn.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order());
            foreach (var (dependency, condition) in dependsOn.Children)
            {
                Assert.True(
                    Scalar((YamlMappingNode)condition, "condition", name) == "service_healthy",
                    $"{name}: depends_on {dependency} must wait for service_healthy");
            }
        }
    }

    // The value after a command-line flag, or null when the flag is absent.
    private static string? Option(IReadOnlyList<string> command, string flag)
    {
        var at = command.ToList().IndexOf(flag);
        return at >= 0 && at + 1 < command.Count ? command[at + 1] : null;
    }

    private static int Port(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
