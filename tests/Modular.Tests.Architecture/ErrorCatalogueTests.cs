using Modular.Platform.Composition.Http;
using Modular.Tests.Support;

namespace Modular.Tests.Architecture;

/// <summary>docs/errors.md is the catalogue clients read; ProblemTypes is the one the server answers from.</summary>
public sealed class ErrorCatalogueTests
{
    [Fact]
    public void docs_errors_lists_every_problem_type_with_its_status_and_title_and_nothing_else()
    {
        var rows = File.ReadAllLines(Path.Combine(Tool.RepositoryRoot(), "docs", "errors.md"))
            .Where(line => line.StartsWith("| `/problems/", StringComparison.Ordinal))
            .Select(line => string.Join(" | ", line.Split('|', StringSplitOptions.TrimEntries)[1..4]))
            .ToArray();

        Assert.Equal(ProblemTypes.All.Select(t => $"`{t.Uri}` | {t.Status} | {t.Title}"), rows);
    }

    [Fact]
    public void each_status_has_one_kind_and_unknown_statuses_fall_back_by_class()
    {
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(t => t.Status).Distinct().Count());
        Assert.Equal(ProblemTypes.Unexpected, ProblemTypes.ForStatus(501));
        Assert.Equal(ProblemTypes.InvalidRequest, ProblemTypes.ForStatus(418));
        Assert.Equal(ProblemTypes.Unavailable, ProblemTypes.ForStatus(503));
    }
}
