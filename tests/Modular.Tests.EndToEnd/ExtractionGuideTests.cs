using System.Text.RegularExpressions;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

/// <summary>
/// docs/extracting-a-module.md followed literally: its <c>bash</c> blocks, in order, in one shell, against a
/// fresh database — the monolith, the extraction of Ordering with its data, the checks and the rollback.
/// </summary>
[Collection(EndToEndSuite.Name)] // it listens on the guide's ports and uses the PostgreSQL queues
public sealed partial class ExtractionGuideTests
{
    [Fact]
    public async Task the_extraction_guide_works_when_followed_literally()
    {
        var guide = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "docs", "extracting-a-module.md"));
        var blocks = BashBlock().Matches(guide).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 6, $"expected the guide's steps as bash blocks, found {blocks.Count}");
        var script = Path.Combine(Path.GetTempPath(), $"extraction-guide-{Guid.NewGuid():N}.sh");
        // Stop at the first failing command (as a reader would); whatever the guide started in the background
        // stops with the shell.
        await File.WriteAllTextAsync(script,
            "set -eu\ntrap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT\n" + string.Join("\n", blocks));
        await using var database = await TestDatabase.CreateAsync("guide");

        try
        {
            // The run's role secret, not .local's: the roles belong to the test server, which every test shares.
            var result = await Tool.RunAsync("env", [$"ConnectionStrings__Postgres={database.ConnectionString}",
                    $"Modular__Database__RoleSecret={Topology.RoleSecret}", "bash", script],
                Tool.RepositoryRoot(), TimeSpan.FromMinutes(5));

            Assert.True(result.ExitCode == 0, $"the guide failed (exit {result.ExitCode}):\n{result.Output}\n{result.Error}");
            Assert.EndsWith("extracted Ordering and rolled back", result.Output.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
            await TestDatabase.ExecuteOnServerAsync($"drop database if exists \"{database.Name}_ordering\" with (force)");
        }
    }

    [GeneratedRegex("```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
