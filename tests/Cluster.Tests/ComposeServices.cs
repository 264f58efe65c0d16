using System.Text.RegularExpressions;
using Coordinator.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The environment of each service in <c>docker/docker-compose.yml</c> (or the PostgreSQL variant), with <c>${NAME:-default}</c>
/// and <c>${NAME:?message}</c> resolved: the local-process cluster runs on exactly these settings,
/// so the compose file and the tested topology cannot drift apart.
/// </summary>
internal static partial class ComposeServices
{
    public static Dictionary<string, string> Environment(string service, IReadOnlyDictionary<string, string> variables, string file = "docker-compose.yml")
    {
        var path = Path.Combine(TestData.RepositoryRoot(), "docker", file);
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var environment = (YamlMappingNode)((YamlMappingNode)services.Children[new YamlScalarNode(service)]).Children[new YamlScalarNode("environment")];
        return environment.Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!,
            entry => Interpolate(((YamlScalarNode)entry.Value).Value ?? "", variables));
    }

    private static string Interpolate(string value, IReadOnlyDictionary<string, string> variables) =>
        Variable().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            if (variables.TryGetValue(name, out var set) && set.Length > 0)
            {
                return set;
            }

            return match.Groups["op"].Value == ":?"
                ? throw new InvalidOperationException($"docker-compose.yml requires {name}: {match.Groups["rest"].Value}")
                : match.Groups["rest"].Value;
        });

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:-|:\?)?(?<rest>[^}]*)\}")]
    private static partial Regex Variable();
}
