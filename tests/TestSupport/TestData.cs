namespace Coordinator.TestSupport;

/// <summary>
/// Finds the repository root (the folder holding <c>Coordinator.sln</c>, above the test binary) and the
/// golden data in <c>tests/data/</c> (see its README). Nothing here looks outside the repository.
/// </summary>
public static class TestData
{
    private const string SolutionFile = "Coordinator.sln";

    private static readonly Lazy<string> Root = new(LocateRepositoryRoot);

    /// <summary>The repository root.</summary>
    public static string RepositoryRoot() => Root.Value;

    /// <summary><c>tests/data/</c> in the repository.</summary>
    public static string Folder => Path.Combine(RepositoryRoot(), "tests", "data");

    /// <summary>
    /// A file under <c>tests/data/</c>, for example <c>File("ortc", "room-capabilities.json")</c>;
    /// fails at once, naming the path, when the file is not there.
    /// </summary>
    public static string File(params string[] relativeParts)
    {
        var path = Path.Combine([Folder, .. relativeParts]);
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"test data file {path} is missing: tests/data/ is part of the repository (see tests/data/README.md).", path);
    }

    private static string LocateRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"{SolutionFile} not found in {AppContext.BaseDirectory} or any folder above it; run the tests from a build inside the repository.");
    }
}
