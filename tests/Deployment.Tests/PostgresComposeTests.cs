using YamlDotNet.RepresentationModel;
using static Coordinator.Deployment.Tests.ComposeFile;

namespace Coordinator.Deployment.Tests;

/// <summary>
/// docker/docker-compose.postgres.yml: the cluster of docker-compose.yml with PostgreSQL as its store.
/// Apart from the store, every service must match docker-compose.yml, so the two cannot drift apart.
/// </summary>
public sealed class PostgresComposeTests
{
    private const string PasswordVariable = "COORDINATOR_DB_PASSWORD";
    private static readonly string[] Nodes = ["silo1", "silo2", "gateway1", "gateway2"];
    private static readonly string[] ConfigQuiet = ["-f", Path.Combine("docker", "docker-compose.postgres.yml"), "config", "-q"];

    /// <summary>What may differ from docker-compose.yml in a node's environment: the store settings.</summary>
    private static readonly string[] StoreKeys = ["Orleans__MembershipStore", "Orleans__RedisConnectionString", "Orleans__PostgreSqlConnectionString"];

    private readonly ComposeFile _redis = Load();
    private readonly ComposeFile _postgres = Load(PostgresRelativePath);

    [Fact]
    public async Task Compose_file_is_valid_with_a_signing_key_and_a_database_password()
    {
        var result = await Tool.Run(Tool.OnPath("docker-compose"), ConfigQuiet, new Dictionary<string, string?>
        {
            ["COORDINATOR_SIGNING_KEY"] = "0123456789abcdef0123456789abcdef-test-only",
            [PasswordVariable] = "test-only",
        });

        Assert.True(result.ExitCode == 0, $"docker-compose config -q rejected {PostgresRelativePath}: {result}");
    }

    [Fact]
    public async Task Compose_file_refuses_to_start_without_a_database_password()
    {
        var result = await Tool.Run(Tool.OnPath("docker-compose"), ConfigQuiet, new Dictionary<string, string?>
        {
            ["COORDINATOR_SIGNING_KEY"] = "0123456789abcdef0123456789abcdef-test-only",
            [PasswordVariable] = null,
        });

        Assert.True(result.ExitCode != 0, $"docker-compose accepted the file without {PasswordVariable}: {result}");
        Assert.Contains($"set {PasswordVariable}", result.StandardError);
    }

    [Fact]
    public void Postgres_replaces_redis_and_keeps_its_data_in_a_named_volume()
    {
        Assert.Equal(["gateway1", "gateway2", "postgres", "silo1", "silo2"], _postgres.Services.Keys.Order());
        var postgres = _postgres.Services["postgres"];
        Assert.Equal("unless-stopped", Scalar(postgres, "restart", "postgres"));
        Assert.StartsWith($"${{{PasswordVariable}:?", Environment(postgres, "postgres")["POSTGRES_PASSWORD"], StringComparison.Ordinal);
        var volume = Assert.Single(Scalars(postgres, "volumes", "postgres"), v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        var name = volume[..volume.IndexOf(':')];
        Assert.True(Child(Mapping(_postgres.Root, "volumes"), name) is not null, $"the volume {name} must be declared under the top-level volumes");
    }

    [Fact]
    public void Silos_and_gateways_use_postgresql_and_otherwise_match_the_redis_file()
    {
        foreach (var name in Nodes)
        {
            var env = Environment(_postgres.Services[name], name);
            Assert.Equal("PostgreSql", env["Orleans__MembershipStore"]);
            Assert.Contains("Host=postgres;", env["Orleans__PostgreSqlConnectionString"], StringComparison.Ordinal);
            Assert.Contains($"Password=${{{PasswordVariable}:?", env["Orleans__PostgreSqlConnectionString"], StringComparison.Ordinal);

            var redisEnv = Environment(_redis.Services[name], name);
            Assert.Equal(
                redisEnv.Where(entry => !StoreKeys.Contains(entry.Key)).OrderBy(entry => entry.Key),
                env.Where(entry => !StoreKeys.Contains(entry.Key)).OrderBy(entry => entry.Key));

            // Everything but the environment and the store dependency is the same YAML.
            foreach (var key in new[] { "image", "restart", "ports", "volumes", "healthcheck", "build" })
            {
                Assert.Equal(Child(_redis.Services[name], key)?.ToString(), Child(_postgres.Services[name], key)?.ToString());
            }

            var dependsOn = Mapping(_postgres.Services[name], "depends_on", name).Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order();
            var expected = Mapping(_redis.Services[name], "depends_on", name).Children.Keys.Select(k => ((YamlScalarNode)k).Value == "redis" ? "postgres" : ((YamlScalarNode)k).Value).Order();
            Assert.Equal(expected, dependsOn);
        }
    }
}
