using System.Text.Json;
using System.Text.RegularExpressions;

namespace Coordinator.Deployment.Tests;

/// <summary>docker/*.Dockerfile: the linter pinned in docker/lint, and the facts the images rely on.</summary>
public sealed partial class DockerfileTests
{
    [Theory]
    [InlineData("silo.Dockerfile")]
    [InlineData("gateway.Dockerfile")]
    public async Task Dockerfile_passes_the_linter_without_any_diagnostic(string name)
    {
        var diagnostics = await Lint(Repository.File("docker", name));

        Assert.True(diagnostics.Count == 0, $"docker/{name}:\n{string.Join('\n', diagnostics)}");
    }

    [Fact]
    public async Task Linter_reports_a_broken_Dockerfile()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.Dockerfile");
        await File.WriteAllTextAsync(broken, "FROM debian:12\nRUNN apt-get update\nEXPOSE http\nWORKDIR\n");
        try
        {
            var diagnostics = await Lint(broken);

            Assert.True(diagnostics.Count >= 3, $"expected 3 diagnostics, got:\n{string.Join('\n', diagnostics)}");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Theory]
    [InlineData("silo.Dockerfile", "Silo")]
    [InlineData("gateway.Dockerfile", "Gateway")]
    public void Image_runs_the_published_project_as_a_non_root_user(string name, string project)
    {
        var dockerfile = Dockerfile.Load(Path.Combine("docker", name));
        var csproj = $"src/{project}/{project}.csproj";

        Assert.Contains(dockerfile.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains($"dotnet publish {csproj}"));
        // Directory.Build.props names every assembly Coordinator.<project>; the entry point relies on it.
        Assert.DoesNotContain("<AssemblyName>", Repository.ReadAllText(csproj.Split('/')));
        var final = dockerfile.FinalStage;
        Assert.Equal($"[\"dotnet\", \"Coordinator.{project}.dll\"]", Assert.Single(final, i => i.Keyword == "ENTRYPOINT").Arguments);
        var user = Assert.Single(final, i => i.Keyword == "USER").Arguments;
        Assert.True(user.Split(':')[0] is not ("root" or "0"), $"docker/{name}: the image must not run as root (USER {user})");
    }

    [Fact]
    public void Silo_image_points_the_workers_at_the_binary_it_copies_in()
    {
        var final = Dockerfile.Load(Path.Combine("docker", "silo.Dockerfile")).FinalStage;
        var copied = final.Single(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=worker ", StringComparison.Ordinal))
            .Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];

        Assert.Equal(copied, Env(final)["MediaWorkers__BinaryPath"]);
    }

    [Fact]
    public void Gateway_image_runs_in_gateway_mode_on_the_ports_it_exposes()
    {
        var final = Dockerfile.Load(Path.Combine("docker", "gateway.Dockerfile")).FinalStage;
        var env = Env(final);

        Assert.Equal("Gateway", env["Node__Mode"]);
        Assert.Equal($"{env["Gateway__Port"]} {env["Gateway__Operations__Port"]}", Assert.Single(final, i => i.Keyword == "EXPOSE").Arguments);
    }

    /// <summary>The linter's diagnostics (warnings included) for <paramref name="path"/>.</summary>
    private static async Task<List<string>> Lint(string path)
    {
        var linter = Repository.File("docker", "lint", "node_modules", "dockerfile-utils", "bin", "dockerfile-utils");
        if (!File.Exists(linter))
        {
            Assert.Fail($"the Dockerfile linter is not installed ({linter} is missing): {Tool.InstallHint}.");
        }

        var result = await Tool.Run(Tool.OnPath("node"), [linter, "lint", "--json", path]);
        var output = result.StandardOutput.Trim();
        Assert.True(output.StartsWith('['), $"the linter did not answer with JSON: {result}");
        var diagnostics = JsonSerializer.Deserialize<JsonElement[]>(output)!
            .Select(d => $"line {d.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32() + 1}: "
                + $"{d.GetProperty("severity").GetString()}: {d.GetProperty("message").GetString()}")
            .ToList();
        Assert.False(result.ExitCode != 0 && diagnostics.Count == 0, $"the linter failed without reporting a diagnostic: {result}");
        return diagnostics;
    }

    private static Dictionary<string, string> Env(IEnumerable<Dockerfile.Instruction> stage) =>
        stage.Where(i => i.Keyword == "ENV")
            .SelectMany(i => EnvPair().Matches(i.Arguments))
            .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Trim('"'));

    [GeneratedRegex("""(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>"[^"]*"|\S*)""")]
    private static partial Regex EnvPair();
}
