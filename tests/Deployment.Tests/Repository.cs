using Coordinator.TestSupport;

namespace Coordinator.Deployment.Tests;

/// <summary>Paths inside the repository (found by walking up to Coordinator.sln).</summary>
internal static class Repository
{
    public static string Root => TestData.RepositoryRoot();

    public static string File(params string[] relativeParts) => Path.Combine([Root, .. relativeParts]);

    public static string ReadAllText(params string[] relativeParts)
    {
        var path = File(relativeParts);
        Assert.True(System.IO.File.Exists(path), $"{path} does not exist.");
        return System.IO.File.ReadAllText(path);
    }
}
