using System.Text.Json;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Observability;

/// <summary>
/// What an operator asks Prometheus about a topology, answered per module across deployments: a real Prometheus
/// server scraping every deployment's <c>/metrics</c> while the order flow runs, and the Grafana dashboard the
/// repository ships (<c>deploy/grafana</c>), every one of its queries answered.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class PrometheusTests(ObservedSystem system) : IClassFixture<ObservedSystem>
{
    private LocalPrometheus Prometheus => system.Prometheus;

    [Fact]
    public async Task prometheus_scrapes_every_deployment_and_answers_per_module()
    {
        await UntilAsync("every deployment scraped and up", async () =>
            (await Prometheus.QueryAsync("up == 1")).Select(s => s.Labels["job"]).Order().ToList() is ["catalog", "ordering", "payments"]);

        // Messages handled and failed, by the module that handled them (Catalog only publishes).
        await HasAsync("sum by (modular_module) (wolverine_messages_succeeded_Messages_total)", "modular_module", "Ordering", "Payments");
        await HasAsync("sum by (modular_module) (wolverine_execution_failure_Messages_total)", "modular_module", "Payments");
        await HasAsync("sum by (modular_module) (wolverine_dead_letter_queue_Messages_total)", "modular_module", "Payments");
        await HasAsync("sum by (modular_module) (wolverine_execution_time_Milliseconds_count)", "modular_module", "Ordering", "Payments");
        // Requests where each module runs, and the ones the gateway (catalog's deployment) forwarded for Ordering.
        await HasAsync("sum by (modular_module, modular_deployment) (http_server_request_duration_seconds_count{modular_module!=\"\"})",
            "modular_module", "Catalog", "Ordering", "Payments");
        foreach (var module in new[] { "Catalog", "Ordering", "Payments" })
            await HasAsync($"sum by (modular_deployment) (http_server_request_duration_seconds_count{{modular_module=\"{module}\"}})",
                "modular_deployment", module.ToLowerInvariant());
        await HasAsync("sum by (modular_deployment) (http_server_request_duration_seconds_count{modular_module=\"Ordering\", http_response_status_code=\"404\"})",
            "modular_deployment", "catalog", "ordering");
        // The backlog of each module in the deployment that runs it: drained after the replay.
        await HasAsync("sum by (modular_module) (modular_messages_backlog{state=\"incoming\"})", "modular_module", "Catalog", "Ordering", "Payments");
        await UntilAsync("the replayed dead letter gone from the gauge", async () =>
            (await Prometheus.QueryAsync("sum(modular_messages_backlog{state=\"dead_letter\"}) == 0")).Count == 1);
        // The gateway: what it forwarded to each remote deployment, and the time it added.
        await HasAsync("sum by (modular_remote) (modular_gateway_forwarded_total{outcome=\"forwarded\"})", "modular_remote", "ordering", "payments");
        await HasAsync("sum by (modular_remote) (modular_gateway_added_duration_seconds_count)", "modular_remote", "ordering", "payments");
    }

    [Fact]
    public async Task every_query_of_the_grafana_dashboard_returns_data()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "deploy", "grafana", "modular-dashboard.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(t => (Panel: panel.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToList();
        Assert.True(queries.Count >= 8, $"the dashboard has {queries.Count} queries");

        foreach (var (panel, expr) in queries)
            await UntilAsync($"\"{panel}\": {expr} returned no series", async () => (await Prometheus.QueryAsync(expr)).Count > 0);
    }

    private async Task HasAsync(string promQl, string label, params string[] expected)
    {
        IReadOnlyList<string> seen = [];
        await UntilAsync(() => $"{promQl} by {label}: expected {string.Join(", ", expected)}, got {string.Join(", ", seen)}", async () =>
        {
            seen = (await Prometheus.QueryAsync(promQl)).Select(s => s.Labels.GetValueOrDefault(label, "")).Distinct().Order().ToList();
            return expected.All(seen.Contains);
        });
    }

    private static Task UntilAsync(string failure, Func<Task<bool>> condition) => UntilAsync(() => failure, condition);

    /// <summary>Prometheus scrapes each second; what a scrape adds shows up within the shared patience.</summary>
    private static Task UntilAsync(Func<string> failure, Func<Task<bool>> condition) => ShopClient.EventuallyAsync(condition, failure);
}
