namespace Modular.Tests.Integration.Ordering;

/// <summary>
/// <c>/metrics</c>: Prometheus' text format, served without a token, every HTTP and gRPC request measured with the
/// module whose route it is and the deployment; every handled message under the module that handled it.
/// </summary>
[Collection(OrderingSuite.Name)]
public sealed class MetricsTests(ModularApp app) : OrderingTest(app)
{
    private static readonly string[] ModuleRoutes = ["catalog", "ordering", "payments"];

    [Fact]
    public async Task metrics_are_scraped_without_a_token_and_each_request_carries_its_module_and_deployment()
    {
        var product = await AddProductAsync("MET-1", 3m);
        await PlaceAsync(AnOrder("met", (product, 1))); // and everything it sets in motion
        await ProblemAsync(x => x.Get.Url($"{Orders}/{Guid.NewGuid()}"), 404);
        using var scraper = Host.Server.CreateClient(); // no token

        var requests = new List<string>();
        var handled = new List<string>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            using var response = await scraper.GetAsync("/metrics");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var text = await response.Content.ReadAsStringAsync();
            requests = text.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)).ToList();
            handled = text.Split('\n').Where(l => l.StartsWith("wolverine_execution_time_Milliseconds_count{", StringComparison.Ordinal)).ToList();
            if (requests.Any(l => l.Contains("modular_module=\"Ordering\"", StringComparison.Ordinal)) && handled.Count >= 3) break; // the exporter caches a scrape briefly
        }

        Assert.Contains(requests, l => l.Contains("http_route=\"/api/catalog/products\"", StringComparison.Ordinal)
            && l.Contains("modular_module=\"Catalog\"", StringComparison.Ordinal) && l.Contains("modular_deployment=\"monolith\"", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("http_response_status_code=\"404\"", StringComparison.Ordinal)
            && l.Contains("modular_module=\"Ordering\"", StringComparison.Ordinal));
        // Every module route is tagged (the framework's own, /api/admin/…, belong to no module).
        var untagged = requests.Where(l => ModuleRoutes.Any(m => l.Contains($"http_route=\"/api/{m}/", StringComparison.Ordinal))
            && !l.Contains("modular_module=", StringComparison.Ordinal)).ToList();
        Assert.True(untagged.Count == 0, string.Join("\n", untagged));
        // Each message under the module that handled it: Catalog's event by Ordering, Ordering's by Payments, and back.
        foreach (var (message, module) in new[] { ("ProductAddedEvent", "Ordering"), ("PaymentRequestedEvent", "Payments"), ("PaymentCapturedEvent", "Ordering") })
            Assert.Contains(handled, l => l.Contains($"{message}\"", StringComparison.Ordinal) && l.Contains($"modular_module=\"{module}\"", StringComparison.Ordinal)
                && l.Contains("modular_deployment=\"monolith\"", StringComparison.Ordinal));
    }
}
