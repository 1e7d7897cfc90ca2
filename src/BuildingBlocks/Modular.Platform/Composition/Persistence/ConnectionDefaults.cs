using System.Data.Common;
using Npgsql;

namespace Modular.Platform.Composition.Persistence;

/// <summary>
/// What every connection string Modular opens PostgreSQL with gets, unless it names the setting itself:
/// <list type="bullet">
/// <item><c>Max Auto Prepare=64</c> (ADR 0014): a statement sent <c>Auto Prepare Min Usages</c> times (5) on a physical
/// connection is prepared there, so PostgreSQL stops parsing and planning it again. Npgsql keeps prepared statements
/// across pool returns and prepares again on a new physical connection (after a database restart). 0 = off.</item>
/// </list>
/// No keepalive (it cost ~12 % of reads): the connections a database restart or a network cut left dead leave every pool
/// at the first failure that shows one (<see cref="ConnectionPools"/>, ADR 0023). An explicit <c>Keepalive</c> in a
/// connection string is still Npgsql's to honour.
/// </summary>
public static class ConnectionDefaults
{
    /// <summary>The connection string every deployment shares (<c>ConnectionStrings:Postgres</c>): message storage, and module stores without their own.</summary>
    public const string SharedName = "Postgres";

    /// <summary>How many distinct statements each physical connection keeps prepared (Marten's and Wolverine's hot set fits).</summary>
    public const int MaxAutoPrepare = 64;

    public static string Apply(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "maxautoprepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        return builder.ConnectionString;
    }

    /// <summary>Whether the connection string itself names <paramref name="key"/> (spaces and letter case aside).</summary>
    public static bool Names(string connectionString, string key) =>
        // The generic builder keeps only the keys the string names (lower-cased, as written); Npgsql's knows them all.
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(named => named.Replace(" ", "", StringComparison.Ordinal).Equals(key, StringComparison.OrdinalIgnoreCase));
}
