using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

/// <summary>
/// What the gateway adds to a call: the same requests to a module's own process and through the gateway that
/// forwards to it, interleaved (direct, gateway, gateway, direct, …) so both see the same machine state.
/// </summary>
internal static class GatewayLatency
{
    public static async Task RunAsync(Uri direct, Uri gateway, int count, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 });
        Bearer.Authorize(http);
        var run = Guid.NewGuid().ToString("N")[..6];
        var created = await http.PostAsJsonAsync(new Uri(direct, "/api/catalog/products"),
            new { sku = $"GW{run}", name = "Gateway bench", price = new { amount = 10m, currency = "EUR" } });
        var product = new Uri($"/api/catalog/products/{(await created.Content.ReadFromJsonAsync<Created>())!.Id}", UriKind.Relative);

        async Task<double> GetAsync(Uri target)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(target, product));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        async Task<double> PostAsync(Uri target, int i)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync(new Uri(target, "/api/catalog/products"),
                new { sku = $"GW{run}-{target.Port}-{i}", name = "Gateway bench", price = new { amount = 10m, currency = "EUR" } });
            response.EnsureSuccessStatusCode();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        for (var i = 0; i < 300; i++) { await GetAsync(direct); await GetAsync(gateway); } // warm-up: pools, JIT, connections

        var (getDirect, getGateway) = (new List<double>(), new List<double>());
        var (postDirect, postGateway) = (new List<double>(), new List<double>());
        for (var i = 0; i < count; i++)
        {
            var gatewayFirst = i % 2 == 1;
            if (gatewayFirst) getGateway.Add(await GetAsync(gateway));
            getDirect.Add(await GetAsync(direct));
            if (!gatewayFirst) getGateway.Add(await GetAsync(gateway));
            if (i % 5 != 0) continue;
            if (gatewayFirst) postGateway.Add(await PostAsync(gateway, i));
            postDirect.Add(await PostAsync(direct, i));
            if (!gatewayFirst) postGateway.Add(await PostAsync(gateway, i));
        }

        Print("GET product, 1 in flight", getDirect, getGateway, null, null);
        Print("POST product, 1 in flight", postDirect, postGateway, null, null);

        async Task<(List<double> Latencies, double PerSecond)> LoadAsync(Uri target)
        {
            var latencies = new List<double>();
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, _) =>
            {
                var ms = await GetAsync(target);
                lock (latencies) latencies.Add(ms);
            });
            return (latencies, count / clock.Elapsed.TotalSeconds);
        }

        var loadedDirect = await LoadAsync(direct);
        var loadedGateway = await LoadAsync(gateway);
        Print($"GET product, {concurrency} in flight", loadedDirect.Latencies, loadedGateway.Latencies, loadedDirect.PerSecond, loadedGateway.PerSecond);
    }

    private static void Print(string what, List<double> direct, List<double> gateway, double? directRate, double? gatewayRate)
    {
        double P(List<double> values, int p)
        {
            var sorted = values.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }

        string Rate(double? rate) => rate is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  {rate,6:F0} req/s");
        Console.WriteLine(what);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  direct   p50 {P(direct, 50),6:F2} ms  p99 {P(direct, 99),6:F2} ms{Rate(directRate)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  gateway  p50 {P(gateway, 50),6:F2} ms  p99 {P(gateway, 99),6:F2} ms{Rate(gatewayRate)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  added    p50 {P(gateway, 50) - P(direct, 50),6:F2} ms  p99 {P(gateway, 99) - P(direct, 99),6:F2} ms  ({direct.Count} calls each)"));
    }
}
