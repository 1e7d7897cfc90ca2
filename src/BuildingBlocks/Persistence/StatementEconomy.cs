using System.Text.RegularExpressions;
using Npgsql;

namespace Modular.BuildingBlocks.Persistence;

/// <summary>
/// Statement preparation as a framework default (issue 12, docs/adr/0014): every connection string Modular opens
/// PostgreSQL with gets Npgsql's automatic preparation — a statement sent <c>Auto Prepare Min Usages</c> times
/// (5) on a physical connection is prepared there, so PostgreSQL stops parsing and planning it again. Npgsql keeps
/// prepared statements across pool returns (its reset then spares them), and prepares again on a new physical
/// connection (after a database restart). A connection string that names <c>Max Auto Prepare</c> itself (0 = off) wins.
/// </summary>
public static partial class StatementEconomy
{
    /// <summary>How many distinct statements each physical connection keeps prepared (Marten's and Wolverine's hot set fits).</summary>
    public const int MaxAutoPrepare = 64;

    public static string Apply(string connectionString) =>
        ExplicitSetting().IsMatch(connectionString)
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = MaxAutoPrepare }.ConnectionString;

    [GeneratedRegex(@"max\s*auto\s*prepare\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitSetting();
}
