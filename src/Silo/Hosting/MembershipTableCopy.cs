using StackExchange.Redis;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The last healthy copy of the Redis membership table (a hash: one field per silo and a
/// <c>Version</c> field), kept as Redis holds it so nothing is parsed but the version. Written
/// back atomically: the copy's rows that the current table lacks are added, and the version moves
/// <see cref="VersionJump"/> past the copy's, so that every silo reads the restored table as newer
/// than any view it had (views trail each other by a few versions) and finds itself in it.
/// </summary>
internal sealed class MembershipTableCopy(RedisKey key)
{
    /// <summary>Orleans.Clustering.Redis' field for the table version, a decimal integer.</summary>
    private const string VersionField = "Version";

    private const long VersionJump = 1000;

    // KEYS[1] the table; ARGV[1] the copy's version, ARGV[2] the jump, then field, value pairs.
    // Does nothing when the table has a version at least the copy's: another silo restored it first.
    private const string WriteBackScript =
        """
        local current = tonumber(redis.call('HGET', KEYS[1], 'Version') or '-1')
        local copied = tonumber(ARGV[1])
        if current >= copied then return 0 end
        for i = 3, #ARGV - 1, 2 do
          redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        redis.call('HSET', KEYS[1], 'Version', tostring(copied + tonumber(ARGV[2])))
        return 1
        """;

    private HashEntry[] _rows = [];
    private long _version = -1;

    public int Rows => _rows.Length;

    /// <summary>Keeps <paramref name="table"/> as the copy, if it has a version.</summary>
    public void Keep(HashEntry[] table)
    {
        var version = table.FirstOrDefault(field => field.Name == VersionField).Value;
        if (version.HasValue && long.TryParse(version.ToString(), out var parsed))
        {
            _version = parsed;
            _rows = [.. table.Where(field => field.Name != VersionField)];
        }
    }

    /// <summary>True if this copy was written back; false if the table was newer already (or no copy exists).</summary>
    public async Task<bool> WriteBackAsync(IDatabase database)
    {
        if (_version < 0)
        {
            return false;
        }

        RedisValue[] arguments = [_version, VersionJump, .. _rows.SelectMany(row => new[] { row.Name, row.Value })];
        var result = await database.ScriptEvaluateAsync(WriteBackScript, [key], arguments);
        return (long)result == 1;
    }
}
