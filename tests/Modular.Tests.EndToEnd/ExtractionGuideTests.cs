using System.Text.RegularExpressions;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

/// <summary>
/// The guides followed literally: their <c>bash</c> blocks, in order, in one shell, against a fresh database.
/// docs/extracting-a-module.md: the monolith, the extraction of Ordering with its data, the checks and the rollback.
/// docs/moving-a-module-while-it-serves.md: the monolith behind HAProxy, a shop ordering all along, Ordering moved out
/// and back, every order it placed Confirmed.
/// </summary>
[Collection(EndToEndSuite.Name)] // it listens on the guide's ports and uses the PostgreSQL queues
public sealed partial class ExtractionGuideTests
{
    [Theory]
    [InlineData("extracting-a-module.md", "extracted Ordering and rolled back")]
    [InlineData("moving-a-module-while-it-serves.md", "moved Ordering out and back while serving")]
    public async Task the_guide_works_when_followed_literally(string file, string lastWords)
    {
        var guide = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "docs", file));
        var blocks = BashBlock().Matches(guide).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 5, $"expected the guide's steps as bash blocks, found {blocks.Count}");
        var script = Path.Combine(Path.GetTempPath(), $"guide-{Guid.NewGuid():N}.sh");
        // Stop at the first failing command (as a reader would); whatever the guide started in the background
        // stops with the shell.
        await File.WriteAllTextAsync(script,
            "set -eu\ntrap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT\n" + string.Join("\n", blocks));
        await using var database = await TestDatabase.CreateAsync("guide");

        try
        {
            // The run's role secret, not .local's: the roles belong to the test server, which every test shares. HAProxy
            // is in /usr/sbin, which a non-root PATH may lack.
            var result = await Tool.RunAsync("env", [$"ConnectionStrings__Postgres={database.ConnectionString}",
                    $"Modular__Database__RoleSecret={Topology.RoleSecret}", $"PATH={Environment.GetEnvironmentVariable("PATH")}:/usr/sbin",
                    "bash", script],
                Tool.RepositoryRoot(), TimeSpan.FromMinutes(5));

            Assert.True(result.ExitCode == 0, $"the guide failed (exit {result.ExitCode}):\n{result.Output}\n{result.Error}");
            Assert.StartsWith(lastWords, result.Output.Trim().Split('\n')[^1], StringComparison.Ordinal);
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
