namespace Coordinator.TestSupport;

/// <summary>
/// Finds the read-only <c>shared/</c> folder that sits beside the repository
/// (<c>../shared</c> from the repository root). <c>COORDINATOR_SHARED_DIR</c> overrides it.
/// </summary>
public static class SharedFolder
{
    public const string OverrideVariable = "COORDINATOR_SHARED_DIR";

    private static readonly Lazy<string> Root = new(Locate);

    public static string Path => Root.Value;

    public static string File(params string[] relativeParts) =>
        System.IO.Path.Combine([Path, .. relativeParts]);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Coordinator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Coordinator.sln not found above {AppContext.BaseDirectory}; tests must run from a build inside the repository.");
    }

    private static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return Directory.Exists(overridden)
                ? System.IO.Path.GetFullPath(overridden)
                : throw new DirectoryNotFoundException($"{OverrideVariable}={overridden} does not exist.");
        }

        var beside = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot(), "..", "shared"));
        return Directory.Exists(beside)
            ? beside
            : throw new DirectoryNotFoundException(
                $"shared/ not found at {beside}; put it beside the repository or set {OverrideVariable}.");
    }
}
