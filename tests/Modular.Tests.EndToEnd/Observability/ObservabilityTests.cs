using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Modular.Tests.EndToEnd.Browser;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Observability;

/// <summary>
/// What an operator asks of a running topology, answered per module across deployments: a real Prometheus server
/// scraping every deployment's <c>/metrics</c> while the order flow runs; the Grafana dashboard the repository ships
/// (<c>deploy/grafana</c>), every one of its queries answered; one order followed through the JSON logs of every
/// process by its trace id; the operations page in a real browser, a dead letter replayed from it.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class ObservabilityTests(ObservedSystem system) : IClassFixture<ObservedSystem>
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

    [Fact]
    public async Task one_trace_id_follows_an_order_through_the_json_logs_of_every_process_it_crossed()
    {
        using var shop = new ShopClient(system.Topology);
        var product = await shop.AddProductAsync($"LOG-{Guid.NewGuid():N}"[..12], 5m);
        var order = (await shop.PlaceAsync("logged", product, 1)).ToString();
        var confirmed = await LogLineAsync("ordering", $"Order {order} confirmed");
        var trace = Scope(confirmed, "TraceId");
        Assert.Matches("^[0-9a-f]{32}$", trace);
        Assert.Matches("^[0-9a-f]{16}$", Scope(confirmed, "SpanId"));
        Assert.Equal(("Ordering", "ordering"), (Scope(confirmed, "modular.module"), Scope(confirmed, "modular.deployment")));

        // The charge, in Payments' process, under the same trace: the request crossed RabbitMQ twice to get there and back.
        var charged = await LogLineAsync("payments", $"Payment for order {order} captured");
        Assert.Equal((trace, "Payments", "payments"), (Scope(charged, "TraceId"), Scope(charged, "modular.module"), Scope(charged, "modular.deployment")));
        Assert.NotEqual(Scope(confirmed, "SpanId"), Scope(charged, "SpanId"));
        // Where it came in: the gateway's request line (catalog's deployment) has the same trace id.
        await LogLineAsync("catalog", "POST", line => Scope(line, "TraceId") == trace
            && line.GetProperty("Message").GetString()!.Contains("/api/ordering/orders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_operations_page_shows_the_module_map_and_every_deployment_and_replays_a_dead_letter()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(system.Topology.GatewayUrl, "/ops?refresh=500"));

        // Outside Development the page's data is for admins: it asks for a token first.
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("admin token");
        await page.FillAsync("#token", await Topology.TokenAsync("operator", "admin"));
        await page.ClickAsync("#use-token");

        // The module map as a diagram: three modules in three deployments, every edge crossing a process here.
        await Assertions.Expect(page.Locator("#module-map .module")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#module-map .deployment")).ToHaveCountAsync(3);
        Assert.True(await page.Locator("#module-map .edge.crossing").CountAsync() >= 3);
        Assert.Equal(0, await page.Locator("#module-map .edge:not(.crossing)").CountAsync());
        foreach (var deployment in new[] { "catalog", "ordering", "payments" })
            await Assertions.Expect(page.Locator($"#deployments tr[data-deployment='{deployment}'] .status")).ToHaveAttributeAsync("data-status", "up");
        await Assertions.Expect(page.Locator("#backlog tr[data-module]")).ToHaveCountAsync(3);
        // Which module is slow: each module, where it runs, with its messages or requests per second and p95 (metrics on).
        foreach (var (deployment, module) in new[] { ("catalog", "Catalog"), ("ordering", "Ordering"), ("payments", "Payments") })
            await Assertions.Expect(page.Locator($"#speeds tr[data-deployment='{deployment}'][data-module='{module}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#speeds tr.slowest")).Not.ToHaveCountAsync(0);

        // A payment fails for good in Payments' deployment; the page lists it, the operator fixes the cause and replays.
        using var shop = new ShopClient(system.Topology);
        var product = await shop.AddProductAsync($"OPS-{Guid.NewGuid():N}"[..12], 6m);
        await shop.SetSimulatorAsync(merchantMisconfigured: true);
        var order = await shop.PlaceAsync("ops-page", product, 1);
        // (The product's probe order may have failed alongside, its payment still under way when the merchant broke.)
        var letters = page.Locator("#dead-letters tr[data-deployment='payments']", new() { HasText = "PaymentRequestedEvent" });
        await letters.First.WaitForAsync(new() { Timeout = 90_000 });
        await shop.SetSimulatorAsync();
        await ShopClient.EventuallyAsync(async () =>
        {
            var replay = letters.First.Locator("button.replay");
            try
            {
                if (await replay.CountAsync() > 0) await replay.ClickAsync(new() { Timeout = 2_000 });
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                // The list was redrawn under the click (the letter may be replayed and gone already; Playwright says so
                // with a TimeoutException, not a PlaywrightException): look again.
            }

            return (await shop.OrderAsync(order)).Status == "Confirmed" && await page.Locator("#dead-letters tr[data-id]").CountAsync() == 0;
        }, "the order was not confirmed after replaying from the page, or its dead letter stayed listed");
    }

    [Fact]
    public async Task replaying_an_unknown_dead_letter_or_deployment_is_404_problem_details()
    {
        using var admin = await AdminClientAsync();
        foreach (var deployment in new[] { "catalog", "payments", "nowhere" })
        {
            using var response = await admin.PostAsync($"/api/admin/ops/deployments/{deployment}/dead-letters/{Guid.NewGuid()}/replay", null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("/problems/not-found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }

        // Reading needs an admin outside Development: a customer is refused.
        using var customer = new HttpClient { BaseAddress = system.Topology.GatewayUrl };
        customer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Topology.TokenAsync("carol", "customer"));
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync(new Uri("/api/admin/ops", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task metrics_keep_answering_while_the_deployment_is_under_load()
    {
        using var admin = await AdminClientAsync();
        var ordering = system.Topology.ProcessOf("Ordering").Url;
        using var load = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var readers = Enumerable.Range(0, 32).Select(async _ =>
        {
            while (!load.IsCancellationRequested)
            {
                try
                {
                    await admin.GetAsync(new Uri(ordering, $"/api/ordering/orders/{system.ConfirmedOrder}"), load.Token);
                }
                catch (OperationCanceledException)
                {
                    // the load is over
                }
            }
        }).ToList();

        // Each scrape within the scrape timeout Prometheus would give it (10 s here; Prometheus' default), however loaded.
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 5; i++)
        {
            using var response = await scraper.GetAsync(new Uri(ordering, "/metrics"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("modular_messages_backlog", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.WhenAll(readers);
    }

    /// <summary>An operator's client of the gateway (an admin token).</summary>
    private async Task<HttpClient> AdminClientAsync()
    {
        var client = new HttpClient { BaseAddress = system.Topology.GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Topology.TokenAsync("operator", "admin"));
        return client;
    }

    /// <summary>The first JSON log line of a deployment's process whose message contains <paramref name="text"/>.</summary>
    private async Task<JsonElement> LogLineAsync(string deployment, string text, Func<JsonElement, bool>? also = null)
    {
        JsonElement? found = null;
        var process = system.Topology.InstancesOfDeployment(deployment)[0];
        await UntilAsync($"{deployment} never logged \"{text}\":\n{process.Output[^Math.Min(3000, process.Output.Length)..]}", () =>
        {
            foreach (var line in process.Output.Split('\n').Where(l => l.StartsWith('{')))
            {
                var json = JsonDocument.Parse(line).RootElement;
                if (json.GetProperty("Message").GetString()?.Contains(text, StringComparison.Ordinal) != true || also?.Invoke(json) == false) continue;
                found = json.Clone();
                break;
            }

            return Task.FromResult(found is not null);
        });
        return found!.Value;
    }

    /// <summary>A value from a log line's scopes (trace and span ids, the span's tags).</summary>
    private static string? Scope(JsonElement line, string name) =>
        line.GetProperty("Scopes").EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out _))
            .Select(s => s.GetProperty(name).ToString()).FirstOrDefault();

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
