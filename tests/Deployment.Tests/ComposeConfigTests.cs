namespace Coordinator.Deployment.Tests;

/// <summary>docker/docker-compose.yml as Debian's docker-compose 1.29 reads it.</summary>
public sealed class ComposeConfigTests
{
    private const string SigningKeyVariable = "COORDINATOR_SIGNING_KEY";

    private static readonly string[] ConfigQuiet = ["-f", Path.Combine("docker", "docker-compose.yml"), "config", "-q"];

    [Fact]
    public async Task Compose_file_is_valid_when_the_signing_key_is_set()
    {
        var result = await Tool.Run(Tool.OnPath("docker-compose"), ConfigQuiet, new Dictionary<string, string?>
        {
            [SigningKeyVariable] = "0123456789abcdef0123456789abcdef-test-only",
        });

        Assert.True(result.ExitCode == 0, $"docker-compose config -q rejected docker/docker-compose.yml: {result}");
    }

    [Fact]
    public async Task Compose_file_refuses_to_start_gateways_without_a_signing_key()
    {
        var result = await Tool.Run(Tool.OnPath("docker-compose"), ConfigQuiet, new Dictionary<string, string?>
        {
            [SigningKeyVariable] = null,
        });

        Assert.True(result.ExitCode != 0, $"docker-compose accepted the file without {SigningKeyVariable}: {result}");
        Assert.Contains($"set {SigningKeyVariable}", result.StandardError);
    }
}
