using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

// Usage: Modular.Bench <catalog-url> [orders=1000] [concurrency=32] [ordering-url] [payments-url]
// (module URLs default to the catalog's: the monolith). After a warm-up: (1) baseline — adds `orders`
// products, the simplest write (one document + outbox); (2) places `orders` orders with `concurrency` in
// flight and waits until each is Confirmed (payment included); (3) places up to 200 orders one at a time.
// Prints accepted/s, POST→Confirmed latency, and the latency of the two cross-module event hops of each
// order (Ordering → Payments: PaymentRequestedEvent; Payments → Ordering: PaymentCapturedEvent).
// BENCH_HOOK, when set, is a shell command run with "start" before the loaded orders are placed and with "end" once
// the last is confirmed and the status polls counted (bench/orders.sh uses it to count statements per order).
// Or: Modular.Bench gateway <catalog-url> <gateway-url> [calls=2000] [concurrency=16] — see GatewayLatency.
// Or: Modular.Bench grpc <http-url> <grpc-url> [orders=1000] [concurrency=32] — see GrpcVersusRest.
// Or: Modular.Bench hostile <http-url> <grpc-url> <host-pid> — hostile probes from outside; see HostileProbe.
if (args is ["grpc", var restUrl, var grpcUrl, ..])
{
    await GrpcVersusRest.RunAsync(new Uri(restUrl), new Uri(grpcUrl),
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 32);
    return;
}

if (args is ["hostile", var httpUrl, var grpcEndpoint, var hostPid])
{
    await HostileProbe.RunAsync(new Uri(httpUrl), new Uri(grpcEndpoint), int.Parse(hostPid, CultureInfo.InvariantCulture));
    return;
}

if (args is ["gateway", var directUrl, var gatewayUrl, ..])
{
    await GatewayLatency.RunAsync(new Uri(directUrl), new Uri(gatewayUrl),
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 16);
    return;
}

var catalogUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5000");
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
var orderingUrl = args.Length > 3 ? new Uri(args[3]) : catalogUrl;
var paymentsUrl = args.Length > 4 ? new Uri(args[4]) : catalogUrl;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 3 });
Bearer.Authorize(http);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

// Warm-up: the first calls of each endpoint and handler pay for start-up work (code generation, pools).
var warm = await AddProductsAsync("W", 50, 8);
await WaitUntilOrderableAsync(warm[^1]);
await PlaceOrdersAsync("W", warm, 50, 8);

// Baseline: the simplest write through the same framework (validation, one document, outbox).
var productIds = await AddProductsAsync("B", count, concurrency, report: "baseline: add product");
await WaitUntilOrderableAsync(productIds[^1]);

// Under load: `count` orders with `concurrency` in flight.
await HookAsync("start");
await PlaceOrdersAsync("L", productIds, count, concurrency, report: $"orders, {concurrency} in flight", hook: true);

// Unloaded: one order at a time, so latency is the flow's own, not queueing behind other orders.
await PlaceOrdersAsync("S", productIds, Math.Min(count, 200), 1, report: "orders, 1 in flight");

async Task<Guid[]> AddProductsAsync(string tag, int n, int parallel, string? report = null)
{
    var ids = new Guid[n];
    var result = await RunAsync(n, parallel, async i =>
    {
        var response = await http.PostAsJsonAsync(new Uri(catalogUrl, "/api/catalog/products"),
            new { sku = $"{tag}{run}-{i}", name = $"Bench product {i}", price = new { amount = 10m + i % 7, currency = "EUR" } });
        response.EnsureSuccessStatusCode();
        ids[i] = (await response.Content.ReadFromJsonAsync<Created>(json))!.Id;
    });
    if (report is not null) Report(report + " (accepted)", n, result);
    return ids;
}

async Task PlaceOrdersAsync(string tag, Guid[] products, int n, int parallel, string? report = null, bool hook = false)
{
    var placedAt = new DateTimeOffset[n];
    var orderIds = new Guid[n];
    var accepted = await RunAsync(n, parallel, async i =>
    {
        placedAt[i] = DateTimeOffset.UtcNow;
        var response = await http.PostAsJsonAsync(new Uri(orderingUrl, "/api/ordering/orders"), new
        {
            customerId = $"bench-{i % 50}",
            lines = new[] { new { productId = products[i % products.Length], quantity = 1 + i % 3 } },
            idempotencyKey = $"{tag}{run}-{i}",
        });
        response.EnsureSuccessStatusCode();
        orderIds[i] = (await response.Content.ReadFromJsonAsync<Created>(json))!.Id;
    });

    // Each order's confirmation time (server clock, same machine), one polling pass per 200 ms.
    var confirmedAt = new DateTimeOffset?[n];
    var deadline = DateTime.UtcNow.AddMinutes(5);
    var polls = 0;
    while (confirmedAt.Any(c => c is null) && DateTime.UtcNow < deadline)
    {
        var pending = Enumerable.Range(0, n).Where(i => confirmedAt[i] is null).ToList();
        polls += pending.Count;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var order = await http.GetFromJsonAsync<OrderView>(new Uri(orderingUrl, $"/api/ordering/orders/{orderIds[i]}"), json, ct);
            if (order!.Status == "Confirmed") confirmedAt[i] = order.ConfirmedAt;
            else if (order.Status == "Cancelled") throw new InvalidOperationException($"Order {orderIds[i]} was cancelled.");
        });
        if (confirmedAt.Any(c => c is null)) await Task.Delay(200);
    }

    if (hook)
    {
        Console.WriteLine($"  status polls (GET order) while waiting: {polls}");
        await HookAsync("end");
    }

    if (report is null) return;
    Report(report + " (accepted)", n, accepted);
    var latencies = Enumerable.Range(0, n).Where(i => confirmedAt[i] is not null)
        .Select(i => (confirmedAt[i]!.Value - placedAt[i]).TotalMilliseconds).Order().ToArray();
    if (latencies.Length < n) Console.WriteLine($"WARNING: only {latencies.Length} of {n} orders confirmed");
    var span = (confirmedAt.Where(c => c is not null).Max()!.Value - placedAt.Min()).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{"  POST -> Confirmed",-36} p50 {Percentile(latencies, 50),7:F1} ms  p99 {Percentile(latencies, 99),7:F1} ms  ({n / span:F0} orders/s confirmed)"));

    // The two event hops of each order, from the timestamps each side recorded (one machine, one clock).
    var hops = new List<double>();
    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
    {
        var order = await http.GetFromJsonAsync<OrderView>(new Uri(orderingUrl, $"/api/ordering/orders/{orderIds[i]}"), json, ct);
        var payment = await http.GetFromJsonAsync<PaymentView>(new Uri(paymentsUrl, $"/api/payments/orders/{orderIds[i]}"), json, ct);
        lock (hops)
        {
            hops.Add((payment!.RecordedAt - order!.PaymentRequestedAt!.Value).TotalMilliseconds);
            hops.Add((order.ConfirmedAt!.Value - payment.RecordedAt).TotalMilliseconds);
        }
    });
    var sortedHops = hops.Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{"  cross-module event hop",-36} p50 {Percentile(sortedHops, 50),7:F1} ms  p99 {Percentile(sortedHops, 99),7:F1} ms  ({sortedHops.Length} hops, handler included)"));
}

async Task<TimeSpan[]> RunAsync(int n, int parallel, Func<int, Task> call)
{
    var durations = new TimeSpan[n];
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
    {
        var started = Stopwatch.GetTimestamp();
        await call(i);
        durations[i] = Stopwatch.GetElapsedTime(started);
    });
    Array.Sort(durations);
    return [.. durations, clock.Elapsed];
}

void Report(string what, int n, TimeSpan[] result)
{
    var total = result[^1];
    var calls = result[..^1].Select(d => d.TotalMilliseconds).ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what,-36} {n / total.TotalSeconds,6:F0} req/s  p50 {Percentile(calls, 50),6:F1} ms  p99 {Percentile(calls, 99),6:F1} ms"));
}

async Task WaitUntilOrderableAsync(Guid product)
{
    for (var attempt = 0; attempt < 600; attempt++)
    {
        var probe = await http.PostAsJsonAsync(new Uri(orderingUrl, "/api/ordering/orders"),
            new { customerId = "bench-probe", lines = new[] { new { productId = product, quantity = 1 } }, idempotencyKey = $"{run}-probe-{product}" });
        if (probe.IsSuccessStatusCode) return;
        await Task.Delay(100);
    }

    throw new TimeoutException("Ordering never learned the benchmark's products.");
}

static async Task HookAsync(string phase)
{
    if (Environment.GetEnvironmentVariable("BENCH_HOOK") is not { Length: > 0 } hook) return;
    using var process = Process.Start("bash", ["-c", hook, "bench-hook", phase]);
    await process.WaitForExitAsync();
}

static double Percentile(double[] sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

internal sealed record Created(Guid Id);

internal sealed record OrderView(Guid Id, string Status, DateTimeOffset? PaymentRequestedAt, DateTimeOffset? ConfirmedAt);

internal sealed record PaymentView(Guid OrderId, DateTimeOffset RecordedAt);
