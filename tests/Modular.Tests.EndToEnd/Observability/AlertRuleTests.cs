using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Observability;

/// <summary>
/// The alert rules the repository ships (<c>deploy/prometheus/alerts.yml</c>) are valid, and each fires when it should and
/// not otherwise: <c>promtool test rules</c> on <c>alerts.test.yml</c>, with the promtool of the Prometheus the
/// observability tests run.
/// </summary>
public sealed class AlertRuleTests
{
    private static readonly string Folder = Path.Combine(Tool.RepositoryRoot(), "deploy", "prometheus");

    private static string Promtool => Path.Combine(Path.GetDirectoryName(
        Environment.GetEnvironmentVariable(LocalPrometheus.ExecutableVariable) is { Length: > 0 } set ? set : "/usr/bin/prometheus")!, "promtool");

    [Fact]
    public async Task the_shipped_alert_rules_are_valid_and_each_fires_when_it_should_and_only_then()
    {
        (await Tool.RunAsync(Promtool, ["check", "rules", "alerts.yml"], Folder)).EnsureSuccess("promtool check rules");
        var tested = (await Tool.RunAsync(Promtool, ["test", "rules", "alerts.test.yml"], Folder)).EnsureSuccess("promtool test rules");
        Assert.Contains("SUCCESS", tested.Output + tested.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task every_shipped_rule_has_a_test_that_sees_it_fire()
    {
        var rules = await File.ReadAllLinesAsync(Path.Combine(Folder, "alerts.yml"));
        var tests = await File.ReadAllTextAsync(Path.Combine(Folder, "alerts.test.yml"));
        var names = rules.Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            // A test of the rule that expects it firing (exp_labels), not only one that expects silence.
            var firing = System.Text.RegularExpressions.Regex.IsMatch(tests, $@"alertname: {name}\s+exp_alerts:\s+- exp_labels");
            Assert.True(firing, $"{name} has no test in alerts.test.yml that expects it to fire");
        }
    }
}
