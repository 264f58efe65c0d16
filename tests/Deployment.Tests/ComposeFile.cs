using YamlDotNet.RepresentationModel;

namespace Coordinator.Deployment.Tests;

/// <summary>docker/docker-compose.yml as a YAML tree (no interpolation, no normalisation).</summary>
internal sealed class ComposeFile
{
    public const string RelativePath = "docker/docker-compose.yml";

    private ComposeFile(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        Mapping(Root, "services").Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!,
            entry => Assert.IsType<YamlMappingNode>(entry.Value));

    /// <summary>The PostgreSQL variant: the same cluster with PostgreSQL as its store.</summary>
    public const string PostgresRelativePath = "docker/docker-compose.postgres.yml";

    public static ComposeFile Load(string relativePath = RelativePath)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Repository.ReadAllText(relativePath.Split('/'))));
        return new ComposeFile(Assert.IsType<YamlMappingNode>(stream.Documents.Single().RootNode));
    }

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    // `owner` names the node in failure messages (e.g. the service).
    public static YamlMappingNode Mapping(YamlMappingNode node, string key, string owner = "") =>
        Child(node, key) as YamlMappingNode ?? throw Missing(owner, key, "a mapping");

    public static string Scalar(YamlMappingNode node, string key, string owner = "") =>
        (Child(node, key) as YamlScalarNode)?.Value ?? throw Missing(owner, key, "a scalar");

    public static IReadOnlyList<string> Scalars(YamlMappingNode node, string key, string owner = "") =>
        (Child(node, key) as YamlSequenceNode ?? throw Missing(owner, key, "a list"))
            .Children.Select(c => Assert.IsType<YamlScalarNode>(c).Value!).ToList();

    /// <summary>The service's environment, which must be a mapping of scalars.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service, string owner) =>
        Mapping(service, "environment", owner).Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!,
            entry => (entry.Value as YamlScalarNode)?.Value
                ?? throw new Xunit.Sdk.XunitException($"{owner}: environment variable {entry.Key} is not a plain value."));

    private static Xunit.Sdk.XunitException Missing(string owner, string key, string what) =>
        new($"{owner}{(owner.Length > 0 ? ": " : "")}'{key}' is missing or is not {what}.");
}

/// <summary>A `ports:` entry in short syntax: <c>HOST[-HOST]:CONTAINER[-CONTAINER][/PROTOCOL]</c>.</summary>
internal sealed record PortMapping(PortRange Host, PortRange Container, string Protocol)
{
    public override string ToString() => $"{Host}:{Container}/{Protocol}";

    public static PortMapping Parse(string text)
    {
        var slash = text.Split('/');
        var sides = slash[0].Split(':');
        Assert.True(sides.Length == 2, $"'{text}': expected HOST:CONTAINER (no host address).");
        return new PortMapping(PortRange.Parse(sides[0]), PortRange.Parse(sides[1]), slash.Length > 1 ? slash[1] : "tcp");
    }
}

internal sealed record PortRange(int First, int Last)
{
    public static PortRange Parse(string text)
    {
        var parts = text.Split('-');
        var first = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        return new PortRange(first, parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : first);
    }

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";

    public bool Overlaps(PortRange other) => First <= other.Last && other.First <= Last;
}
