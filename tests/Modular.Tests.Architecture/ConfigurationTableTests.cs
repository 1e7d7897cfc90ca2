using System.Text.RegularExpressions;
using Modular.Platform.Distribution;
using Modular.Tests.Support;

namespace Modular.Tests.Architecture;

/// <summary>docs/configuration.md's "Settings" table lists exactly the keys of <see cref="ModularOptions"/>: none missing, none stale.</summary>
public sealed partial class ConfigurationTableTests
{
    [Fact]
    public void the_settings_table_lists_every_setting_of_the_modular_section_and_no_other()
    {
        var page = File.ReadAllLines(Path.Combine(Tool.RepositoryRoot(), "docs", "configuration.md"));
        var documented = Documented(page).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var settings = ModularOptions.Keys().Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Empty(settings.Where(k => !documented.Contains(k)).Order(StringComparer.Ordinal)); // in the code, not in the table
        Assert.Empty(documented.Where(k => !settings.Contains(k) && !UnderPassThrough(k, settings)).Order(StringComparer.Ordinal)); // stale
    }

    [Fact]
    public void the_reader_takes_both_spellings_of_a_row()
    {
        string[] table =
        [
            "## Settings", "| key | default | meaning |", "|---|---|---|",
            "| `Modular:Gateway:Timeout` / `ConnectTimeout` | `30 s` | … |",
            "| `Modular:Topology:Deployments:<name>:Url` | … | also `Services:<name>:http:<n>` |",
            "## Next",
        ];

        Assert.Equal(["Modular:Gateway:Timeout", "Modular:Gateway:ConnectTimeout", "Modular:Topology:Deployments:<>:Url"], Documented(table));
    }

    /// <summary>
    /// The keys in the first column of the table under "## Settings": each backticked key; one written without a
    /// <c>Modular:</c> prefix after a slash is a sibling of the key before it.
    /// </summary>
    private static List<string> Documented(IEnumerable<string> page)
    {
        var keys = new List<string>();
        foreach (var row in page.SkipWhile(l => l != "## Settings").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
                     .Where(l => l.StartsWith("| `Modular:", StringComparison.Ordinal)))
        {
            var previous = "";
            foreach (Match key in Backticked().Matches(row.Split('|')[1]))
            {
                var text = key.Groups[1].Value;
                previous = text.StartsWith("Modular:", StringComparison.Ordinal) ? text : previous[..(previous.LastIndexOf(':') + 1)] + text;
                keys.Add(Normalize(previous));
            }
        }

        return keys;
    }

    private static bool UnderPassThrough(string key, HashSet<string> settings) =>
        settings.Any(s => s.EndsWith(":*", StringComparison.Ordinal) && key.StartsWith(s[..^1], StringComparison.OrdinalIgnoreCase));

    private static string Normalize(string key) => Placeholder().Replace(key, "<>");

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Placeholder();
}
