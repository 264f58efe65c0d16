namespace Coordinator.Tools.LoadTest;

/// <summary>Reads one of a process's <c>/proc/&lt;pid&gt;/</c> files.</summary>
internal static class ProcFile
{
    /// <summary>The file's text, or null when the process is gone or the file cannot be read.</summary>
    public static string? TryRead(int pid, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{name}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
