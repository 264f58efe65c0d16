using System.Diagnostics;
using Coordinator.TestSupport;
using Npgsql;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// A private PostgreSQL server (Debian's package) for one test: its own data directory in a temp
/// folder, loopback TCP on a free port, a role and database for the cluster with a password. As
/// root (CI) the server runs as the package's <c>postgres</c> user (the server refuses root), by
/// <c>setpriv</c>, which replaces itself with the server: the PID is the postmaster's. Stopped by
/// PID in <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-postgres-").FullName;
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly string _bin = BinDirectory();

    private PostgresServer()
    {
    }

    public int Port { get; } = FreePort.Next();

    public NodeProcess Process { get; private set; } = null!;

    /// <summary>What silos and gateways are given: the cluster's role over loopback TCP.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=coordinator;Username=coordinator;Password={_password}";

    private string DataDirectory => Path.Combine(_root, "data");

    private string SocketDirectory => Path.Combine(_root, "socket");

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>A new server with an empty cluster database, running.</summary>
    public static async Task<PostgresServer> StartNewAsync()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (again) on the same data directory: a restart with its data.</summary>
    public async Task StartAsync()
    {
        if (Process is { HasExited: true })
        {
            await Process.DisposeAsync();
        }

        // fsync stays on: a kill -9 then loses nothing that was committed, as on a real server.
        Process = NodeProcess.Start("postgres", Command("postgres"), [.. CommandArguments("postgres"),
            "-D", DataDirectory, "-p", $"{Port}", "-c", "listen_addresses=127.0.0.1", "-k", SocketDirectory], new Dictionary<string, string>());
        await Process.WaitForPortAsync(Port, StartTimeout);
        await Eventually.True(AcceptsQueriesAsync, StartTimeout, "postgres to accept queries (recovery done)");
    }

    /// <summary>kill -9 of the postmaster and every process it started: a crash of the server's host.</summary>
    public void KillHard()
    {
        var children = Descendants(Process.Pid);
        Process.KillHard();
        foreach (var child in children)
        {
            Signal("KILL", child, mustExist: false);
        }

        Eventually.True(() => Task.FromResult(children.All(pid => !IsRunning(pid))), TimeSpan.FromSeconds(10), "postgres' processes to end").GetAwaiter().GetResult();
    }

    /// <summary>SIGSTOP of the postmaster (no new connection is served) and of every backend: a stalled host.</summary>
    public void Freeze()
    {
        Signal("STOP", Process.Pid, mustExist: true);
        foreach (var child in Descendants(Process.Pid))
        {
            Signal("STOP", child, mustExist: false);
        }
    }

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Thaw()
    {
        foreach (var child in Descendants(Process.Pid))
        {
            Signal("CONT", child, mustExist: false);
        }

        Signal("CONT", Process.Pid, mustExist: true);
    }

    /// <summary>After <see cref="KillHard"/>: the data directory is lost and a new, empty one made (a database restored from nothing).</summary>
    public async Task StartEmptyAsync()
    {
        Directory.Delete(DataDirectory, recursive: true);
        await InitializeAsync();
    }

    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDirectory);
        if (AsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }

        // The superuser only through the private socket; the cluster's role by password over TCP.
        await RunAsync(Command("initdb"), [.. CommandArguments("initdb"), "-D", DataDirectory, "-U", "postgres", "-E", "UTF8",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions"]);
        await StartAsync();
        await using var admin = new NpgsqlConnection($"Host={SocketDirectory};Port={Port};Username=postgres;Database=postgres;Pooling=false");
        await admin.OpenAsync();
        foreach (var statement in new[] { $"CREATE ROLE coordinator LOGIN PASSWORD '{_password}'", "CREATE DATABASE coordinator OWNER coordinator" })
        {
            await using var command = new NpgsqlCommand(statement, admin);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<bool> AcceptsQueriesAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection($"Host={SocketDirectory};Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>As root, a program of the package run as <c>postgres</c>: setpriv execs it, no process in between.</summary>
    private string Command(string program) => AsRoot ? "setpriv" : Path.Combine(_bin, program);

    private IEnumerable<string> CommandArguments(string program) => AsRoot
        ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", Path.Combine(_bin, program)]
        : [];

    /// <summary>Debian installs the server outside PATH, in /usr/lib/postgresql/VERSION/bin; the newest there.</summary>
    private static string BinDirectory()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(directory => File.Exists(Path.Combine(directory, "bin", "postgres")))
                .OrderByDescending(directory => int.TryParse(Path.GetFileName(directory), out var version) ? version : 0)
                .ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; scripts/install-test-tools.sh)");
    }

    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var child))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[child] = int.Parse(fields[1]);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(entry => entry.Value == parent))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Signal(string signal, int pid, bool mustExist)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", $"{pid}"]) ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit();
        if (kill.ExitCode != 0 && mustExist)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}");
        }
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            var children = Process.HasExited ? [] : Descendants(Process.Pid);
            if (!Process.HasExited)
            {
                Thaw();
            }

            // The postmaster by PID (NodeProcess kills its tree); a backend it left is ended by PID too.
            await Process.DisposeAsync();
            foreach (var child in children.Where(IsRunning))
            {
                Signal("KILL", child, mustExist: false);
            }
        }

        Directory.Delete(_root, recursive: true);
    }
}
