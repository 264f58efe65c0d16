using System.Text;
using System.Text.RegularExpressions;

namespace Coordinator.Deployment.Tests;

/// <summary>
/// The repository stands on its own: no tracked file sends the reader to documents kept outside it, and
/// no test, tool or benchmark reads a file outside it. scripts/check-self-contained.sh checks the same
/// thing by running from a copy with nothing beside it.
/// </summary>
public sealed partial class SelfContainedTests
{
    /// <summary>
    /// The folder beside the repository and the two specification files it held. Built by concatenation
    /// so that this file does not match. A citation of one section of a file contains the file name, so it matches too.
    /// </summary>
    private static readonly string[] OutsideReferences = ["." + "./shared", "SPEC" + ".md", "CHANNEL" + ".md"];

    /// <summary>The folders whose code runs at test, tool or benchmark time.</summary>
    private static readonly string[] CodeFolders = ["tests/", "tools/", "benchmarks/"];

    private static readonly HashSet<string> CodeExtensions = [".cs"];

    /// <summary>Scripts whose relative module paths are resolved from their own folder, as Node does.</summary>
    private static readonly HashSet<string> ScriptExtensions = [".js", ".mjs"];

    private static readonly HashSet<string> ProjectExtensions = [".csproj", ".props", ".targets"];

    /// <summary>The parent folder's name, built so that this file's own literals pass the check below.</summary>
    private static readonly string Up = string.Concat('.', '.');

    [Fact]
    public async Task No_tracked_file_mentions_documents_kept_outside_the_repository()
    {
        var offending = new List<string>();
        var files = await TrackedFiles();
        foreach (var file in files)
        {
            foreach (var needle in OutsideReferences.Where(needle => file.Contains(needle, StringComparison.Ordinal)))
            {
                offending.Add($"{file}: its name contains \"{needle}\"");
            }

            foreach (var (number, line) in TextLines(file))
            {
                offending.AddRange(OutsideReferences
                    .Where(needle => line.Contains(needle, StringComparison.Ordinal))
                    .Select(needle => $"{file}:{number}: \"{needle}\" in: {Shorten(line)}"));
            }
        }

        Assert.True(
            offending.Count == 0,
            $"{offending.Count} mention(s) of {string.Join(", ", OutsideReferences)} in the {files.Count} tracked files; "
            + $"cite docs/ pages instead (anchors: docs/protocol.md, docs/worker-channel.md):\n{string.Join('\n', offending)}");
    }

    [Fact]
    public async Task Tests_tools_and_benchmarks_resolve_no_path_outside_the_repository()
    {
        var root = Path.GetFullPath(Repository.Root);
        var offending = new List<string>();
        foreach (var file in (await TrackedFiles()).Where(file => CodeFolders.Any(file.StartsWith)))
        {
            var extension = Path.GetExtension(file);
            if (CodeExtensions.Contains(extension))
            {
                // Code builds paths from the repository root (TestData) or from the assembly, never by climbing.
                offending.AddRange(TextLines(file)
                    .Where(line => ParentLiteral().IsMatch(line.Text))
                    .Select(line => $"{file}:{line.Number}: a path literal starts at the parent folder: {Shorten(line.Text)}"));
            }
            else if (ScriptExtensions.Contains(extension))
            {
                var folder = Path.GetDirectoryName(Path.Combine(root, file))!;
                foreach (var (number, line) in TextLines(file))
                {
                    foreach (Match match in ScriptRelativePath().Matches(line))
                    {
                        var resolved = Path.GetFullPath(Path.Combine(folder, match.Groups["path"].Value));
                        if (!IsInside(resolved, root))
                        {
                            offending.Add($"{file}:{number}: {match.Value} resolves to {resolved}, outside {root}");
                        }
                    }
                }
            }
            else if (ProjectExtensions.Contains(extension))
            {
                var folder = Path.GetDirectoryName(Path.Combine(root, file))!;
                foreach (var (number, line) in TextLines(file))
                {
                    foreach (Match match in ProjectRelativePath().Matches(line))
                    {
                        var resolved = Path.GetFullPath(Path.Combine(folder, match.Groups["path"].Value.Replace('\\', '/')));
                        if (!IsInside(resolved, root))
                        {
                            offending.Add($"{file}:{number}: {match.Value} resolves to {resolved}, outside {root}");
                        }
                    }
                }
            }
        }

        Assert.True(offending.Count == 0, $"paths outside the repository:\n{string.Join('\n', offending)}");
    }

    [Fact]
    public void The_path_checks_recognise_what_they_look_for()
    {
        Assert.Matches(ParentLiteral(), $"var beside = Path.Combine(root, \"{Up}\", \"x\");");
        Assert.Equal($"{Up}/{Up}/x.json", ScriptRelativePath().Match($"import data from '{Up}/{Up}/x.json';").Groups["path"].Value);
        Assert.DoesNotMatch(ParentLiteral(), "var parent = dir.Parent; // \"a..b\" and \"./x\" are fine");

        var import = ProjectRelativePath().Match($"<Import Project=\"$(MSBuildThisFileDirectory){Up}/{Up}/x.props\" />");
        Assert.Equal($"{Up}/{Up}/x.props", import.Groups["path"].Value);
        var reference = ProjectRelativePath().Match($"<ProjectReference Include=\"{Up}\\{Up}\\src\\A.csproj\" />");
        Assert.Equal($"{Up}\\{Up}\\src\\A.csproj", reference.Groups["path"].Value);
        Assert.False(IsInside("/repo-other/x", "/repo"));
        Assert.True(IsInside("/repo/x", "/repo"));
    }

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The repository's tracked files (relative, '/'-separated) that exist in the working tree.</summary>
    private static async Task<IReadOnlyList<string>> TrackedFiles()
    {
        var result = await Tool.Run(Tool.OnPath("git"), ["ls-files", "-z"]);
        Assert.True(
            result.ExitCode == 0,
            $"git ls-files failed in {Repository.Root}; these checks need a git checkout of the repository.\n{result}");
        return [.. result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(file => File.Exists(Repository.File(file)))];
    }

    /// <summary>The numbered lines of a text file; a file with a NUL byte in its first 8 KiB counts as binary and has none.</summary>
    private static IEnumerable<(int Number, string Text)> TextLines(string file)
    {
        var bytes = File.ReadAllBytes(Repository.File(file));
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
        {
            return [];
        }

        return Encoding.UTF8.GetString(bytes).Split('\n').Select((text, index) => (index + 1, text));
    }

    private static string Shorten(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length <= 160 ? trimmed : trimmed[..157] + "...";
    }

    /// <summary>A string literal that starts with two dots: the parent folder, alone or as the first step of a path.</summary>
    [GeneratedRegex("""["'`]\.\.(?:[/\\]|["'`])""")]
    private static partial Regex ParentLiteral();

    /// <summary>A quoted relative path in a script that starts by climbing to the parent folder.</summary>
    [GeneratedRegex("""['"`](?<path>(?:\.\./)+[^'"`]*)['"`]""")]
    private static partial Regex ScriptRelativePath();

    /// <summary>A relative path in a project file that starts by climbing to the parent folder, optionally after $(MSBuildThisFileDirectory).</summary>
    [GeneratedRegex("""(?:\$\(MSBuildThisFileDirectory\)|\$\(MSBuildProjectDirectory\)[/\\]?)?(?<path>(?:\.\.[/\\])+[^"';<>()]*)""")]
    private static partial Regex ProjectRelativePath();
}
