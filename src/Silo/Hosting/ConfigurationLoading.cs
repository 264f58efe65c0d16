namespace Coordinator.Silo.Hosting;

/// <summary>
/// A node reads its configuration once, at start. With .NET's default (reload on change) the host
/// watches the working directory and every directory below it for edits to its appsettings files:
/// started from a repository checkout that was 3,187 inotify watches and 6 MiB more memory at
/// start, for a reload that only log levels would notice. An operator who wants it back passes
/// <c>--hostBuilder:reloadConfigOnChange=true</c>.
/// </summary>
public static class ConfigurationLoading
{
    /// <summary>The command line with reloading off unless the command line itself turns it on.</summary>
    public static string[] ReadOnce(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];
}
