using System.Data.Common;
using Npgsql;

namespace Modular.BuildingBlocks.Composition.Persistence;

/// <summary>
/// What every connection string Modular opens PostgreSQL with gets, unless it names the setting itself:
/// <list type="bullet">
/// <item><c>Max Auto Prepare=64</c> (ADR 0014): a statement sent <c>Auto Prepare Min Usages</c> times (5) on a physical
/// connection is prepared there, so PostgreSQL stops parsing and planning it again. Npgsql keeps prepared statements
/// across pool returns and prepares again on a new physical connection (after a database restart). 0 = off.</item>
/// <item><c>Keepalive=1</c> (ADR 0015): a connection idle in the pool for a second is checked with an empty query, so
/// the connections a database restart cut are dropped from the pool within a second or two — instead of being handed,
/// one by one, to requests that then fail (Npgsql checks nothing on checkout, by design). Reads would ride through
/// anyway (Marten retries them on a fresh connection); a write that fails on one is not retried (it cannot know what
/// committed) and would be answered 503. Costs ~12 % of read throughput (docs/benchmarks.md). 0 = off.</item>
/// </list>
/// </summary>
public static class ConnectionDefaults
{
    /// <summary>How many distinct statements each physical connection keeps prepared (Marten's and Wolverine's hot set fits).</summary>
    /// <summary>The connection string every deployment shares (<c>ConnectionStrings:Postgres</c>): message storage, and module stores without their own.</summary>
    public const string SharedName = "Postgres";

    public const int MaxAutoPrepare = 64;

    /// <summary>Seconds of idleness after which a pooled connection is checked.</summary>
    public const int KeepaliveSeconds = 1;

    public static string Apply(string connectionString)
    {
        // The generic builder keeps only the keys the string names (lower-cased, as written); Npgsql's knows them all.
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!named.Contains("maxautoprepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        if (!named.Contains("keepalive")) builder.KeepAlive = KeepaliveSeconds;
        return builder.ConnectionString;
    }
}
