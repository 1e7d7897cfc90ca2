using System.Text.RegularExpressions;
using Modular.Tests.Support;

namespace Modular.Tests.Architecture;

/// <summary>Every decision has a status and a date, and <c>docs/adr/README.md</c> lists each one, with that status.</summary>
public sealed partial class AdrIndexTests
{
    private static readonly string Directory = Path.Combine(Tool.RepositoryRoot(), "docs", "adr");

    public static TheoryData<string> Decisions() => new(System.IO.Directory.GetFiles(Directory, "0*.md").Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(Decisions))]
    public void a_decision_has_a_status_and_a_date_and_is_listed_with_them(string file)
    {
        var status = File.ReadLines(Path.Combine(Directory, file)).Select(l => StatusLine().Match(l)).FirstOrDefault(m => m.Success);
        Assert.True(status is not null, $"{file} has no 'Status: <accepted|superseded by NNNN|…> · <yyyy-mm-dd>' line.");

        var row = File.ReadLines(Path.Combine(Directory, "README.md")).SingleOrDefault(l => l.Contains($"]({file})", StringComparison.Ordinal));
        Assert.True(row is not null, $"docs/adr/README.md does not list {file}.");
        Assert.Contains($"| {status.Groups["state"].Value}", row, StringComparison.Ordinal);
        Assert.EndsWith($"| {status.Groups["date"].Value} |", row, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^Status: (?<state>accepted|superseded by \d{4}|proposed|deprecated) · (?<date>\d{4}-\d\d-\d\d)")]
    private static partial Regex StatusLine();
}
