using System.Data.Common;
using Npgsql;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// PostgreSQL as the cluster store (<c>Orleans:MembershipStore=PostgreSql</c>): the connection
/// string from the configuration or a file, checked at start, and the schema that Orleans' ADO.NET
/// providers need (<c>PostgreSql/cluster-store.sql</c>, applied at start unless
/// <c>Orleans:PostgreSqlCreateSchema=false</c>; idempotent).
/// </summary>
public static class PostgreSqlClusterStore
{
    /// <summary>Orleans' ADO.NET name for Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Connect and command timeouts unless the connection string sets them. Npgsql's own (15 s, 30 s)
    /// would hold a membership or pub-sub write that long on a frozen server; Orleans retries sooner.
    /// </summary>
    private const int DefaultTimeoutSeconds = 5;

    /// <summary>How long a process waits at start for the server to accept the schema.</summary>
    private static readonly TimeSpan SchemaWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Npgsql connection string from <c>Orleans:PostgreSqlConnectionString</c> or
    /// <c>Orleans:PostgreSqlConnectionStringFile</c> (exactly one), with short timeouts unless it
    /// sets its own; a missing or malformed one stops the process at start with the reason.
    /// </summary>
    public static string ConnectionString(ClusterSettings cluster)
    {
        var inline = cluster.PostgreSqlConnectionString is { Length: > 0 } text ? text : null;
        var file = cluster.PostgreSqlConnectionStringFile is { Length: > 0 } path ? path : null;
        var raw = (inline, file) switch
        {
            (null, null) => throw new InvalidOperationException(
                "Orleans:MembershipStore=PostgreSql needs a connection string: set Orleans:PostgreSqlConnectionString "
                + "(e.g. the environment variable Orleans__PostgreSqlConnectionString=\"Host=db;Database=coordinator;Username=coordinator;Password=...\") "
                + "or Orleans:PostgreSqlConnectionStringFile (a file holding it)."),
            ({ }, { }) => throw new InvalidOperationException(
                "Set either Orleans:PostgreSqlConnectionString or Orleans:PostgreSqlConnectionStringFile, not both."),
            (null, { } name) => ReadFile(name),
            ({ } value, null) => value,
        };

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(raw);
        }
        catch (ArgumentException exception)
        {
            // The message names the bad keyword; the string itself may hold a password, so it is not repeated.
            throw new InvalidOperationException($"The PostgreSQL connection string is not valid: {exception.Message}", exception);
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new InvalidOperationException("The PostgreSQL connection string names no server: add Host=<address>.");
        }

        var given = new DbConnectionStringBuilder { ConnectionString = raw };
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = DefaultTimeoutSeconds;
        }

        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            builder.CommandTimeout = DefaultTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Creates the store's tables and queries when missing (waiting up to 30 s for the server);
    /// anything else than an unreachable server, such as refused credentials or a missing right to
    /// create tables, stops the process at start with the reason.
    /// </summary>
    public static void EnsureSchema(string connectionString)
    {
        var script = SchemaScript();
        var deadline = DateTime.UtcNow + SchemaWait;
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(connectionString);
                connection.Open();
                using var command = new NpgsqlCommand(script, connection);
                command.ExecuteNonQuery();
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
            catch (NpgsqlException exception)
            {
                throw new InvalidOperationException(
                    $"Could not create the cluster store's tables in PostgreSQL ({exception.Message}). Check the connection string's "
                    + "server and credentials; a role without the right to create tables needs the schema applied by hand "
                    + "(src/Silo/Hosting/PostgreSql/cluster-store.sql, docs/cluster-store.md) and Orleans:PostgreSqlCreateSchema=false.",
                    exception);
            }
        }
    }

    /// <summary>The schema script shipped in this assembly.</summary>
    public static string SchemaScript()
    {
        using var stream = typeof(PostgreSqlClusterStore).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"{SchemaResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A failure to reach the server or an answer it gave because it is going away or starting: retry later.</summary>
    public static bool IsOutage(Exception exception) => exception is NpgsqlException { IsTransient: true };

    private const string SchemaResource = "Coordinator.Silo.cluster-store.sql";

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Orleans:PostgreSqlConnectionStringFile: cannot read {path}: {exception.Message}", exception);
        }
    }
}
