using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Modular.Modules.Ordering.GrpcApi;

/// <summary>
/// Placing and reading orders over REST and over gRPC against the same process, rounds alternating so both see the
/// same machine state: accepted orders per second and call latency (the payment that follows is not waited for).
/// </summary>
internal static class GrpcVersusRest
{
    public static async Task RunAsync(Uri rest, Uri grpc, int count, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        Bearer.Authorize(http);
        // One channel, as a gRPC client holds it: HTTP/2 streams over as many connections as it needs.
        using var channel = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var orders = new Orders.OrdersClient(channel);
        var headers = new Metadata { { "authorization", $"Bearer {Environment.GetEnvironmentVariable("MODULAR_TOKEN")}" } };
        var run = Guid.NewGuid().ToString("N")[..6];

        var products = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var created = await http.PostAsJsonAsync(new Uri(rest, "/api/catalog/products"),
                new { sku = $"GR{run}-{i}", name = "gRPC bench", price = new { amount = 10m + i, currency = "EUR" } });
            products.Add((await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Created>())!.Id);
        }

        async Task<string> PlaceRestAsync(string key, int i)
        {
            var response = await http.PostAsJsonAsync(new Uri(rest, "/api/ordering/orders"), new
            {
                customerId = $"bench-{i % 50}", idempotencyKey = key,
                lines = new[] { new { productId = products[i % products.Count], quantity = 1 + i % 3 } },
            });
            return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Created>())!.Id.ToString();
        }

        async Task<string> PlaceGrpcAsync(string key, int i) => (await orders.PlaceOrderAsync(new PlaceOrderRequest
        {
            CustomerId = $"bench-{i % 50}", IdempotencyKey = key,
            Lines = { new PlaceOrderLine { ProductId = products[i % products.Count].ToString(), Quantity = 1 + i % 3 } },
        }, headers)).Id;

        // Until Ordering's read model has the products (a 422 before), then a warm-up of each path.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await PlaceRestAsync($"{run}-probe-{attempt}", products.Count - 1);
                break;
            }
            catch (HttpRequestException) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }

        await RoundAsync("warm-up", 100, PlaceRestAsync, PlaceGrpcAsync, report: false);
        var placed = new List<string>();
        for (var round = 1; round <= 2; round++)
            placed.AddRange(await RoundAsync($"round {round}", count, PlaceRestAsync, PlaceGrpcAsync, report: true));

        Console.WriteLine();
        for (var round = 1; round <= 2; round++)
        {
            Report($"GET order, REST, round {round}", await TimeAsync(count, concurrency, async i =>
                (await http.GetAsync(new Uri(rest, $"/api/ordering/orders/{placed[i % placed.Count]}"))).EnsureSuccessStatusCode()));
            Report($"GET order, gRPC, round {round}", await TimeAsync(count, concurrency, async i =>
                await orders.GetOrderAsync(new GetOrderRequest { Id = placed[i % placed.Count] }, headers)));
        }

        async Task<List<string>> RoundAsync(string name, int n, Func<string, int, Task<string>> viaRest, Func<string, int, Task<string>> viaGrpc, bool report)
        {
            var ids = new string[2 * n];
            var restTimes = await TimeAsync(n, concurrency, async i => ids[i] = await viaRest($"{run}-{name}-rest-{i}", i));
            var grpcTimes = await TimeAsync(n, concurrency, async i => ids[n + i] = await viaGrpc($"{run}-{name}-grpc-{i}", i));
            if (report)
            {
                Report($"place order, REST, {name}", restTimes);
                Report($"place order, gRPC, {name}", grpcTimes);
            }

            return [.. ids];
        }
    }

    private static async Task<(double PerSecond, double[] Sorted)> TimeAsync(int n, int parallel, Func<int, Task> call)
    {
        var durations = new double[n];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            var started = Stopwatch.GetTimestamp();
            await call(i);
            durations[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        Array.Sort(durations);
        return (n / clock.Elapsed.TotalSeconds, durations);
    }

    private static void Report(string what, (double PerSecond, double[] Sorted) result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-36} {result.PerSecond,6:F0} req/s  p50 {Percentile(result.Sorted, 50),6:F1} ms  p99 {Percentile(result.Sorted, 99),6:F1} ms"));

    private static double Percentile(double[] sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
