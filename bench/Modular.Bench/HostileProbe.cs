using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Modular.Modules.Catalog.GrpcApi;

/// <summary>
/// Hostile probes from outside (docs/benchmarks.md), one client token against one process (bench/hostile.sh runs them on the build
/// before and after the hardening): a burst of REST reads, gRPC reads at a steady 240/s, and 20 MB orders of invalid
/// lines; prints what was refused, how big and how fast the answers were, and how the process's memory moved.
/// </summary>
internal static class HostileProbe
{
    public static async Task RunAsync(Uri rest, Uri grpc, int pid)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { Timeout = TimeSpan.FromSeconds(60) };
        Bearer.Authorize(http);
        var created = await http.PostAsJsonAsync(new Uri(rest, "/api/catalog/products"),
            new { sku = $"HOSTILE-{Guid.NewGuid():N}"[..20], name = "probe", price = new { amount = 10m, currency = "EUR" } });
        var id = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Created>())!.Id;
        await Task.Delay(TimeSpan.FromSeconds(2)); // a fresh bucket for the burst

        // 1. 400 REST reads as fast as 16 connections go.
        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 400).Select(async _ =>
        {
            using var response = await http.GetAsync(new Uri(rest, $"/api/catalog/products/{id}"));
            return response.StatusCode;
        }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rest burst: 400 reads in {clock.Elapsed.TotalSeconds:0.00} s, {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} x 429, {statuses.Count(s => (int)s >= 500)} x 5xx"));
        await Task.Delay(TimeSpan.FromSeconds(3));

        // 2. 1,500 gRPC reads at 240/s (one every ~4.2 ms), as a steady client would send them.
        using var channel = GrpcChannel.ForAddress(grpc);
        var products = new Products.ProductsClient(channel);
        var headers = new Metadata { { "authorization", $"Bearer {Environment.GetEnvironmentVariable("MODULAR_TOKEN")}" } };
        var calls = new List<Task<StatusCode>>();
        clock.Restart();
        for (var i = 0; i < 1500; i++)
        {
            calls.Add(CallAsync(() => products.GetProductAsync(new GetProductRequest { Id = id.ToString() }, headers).ResponseAsync));
            var due = TimeSpan.FromSeconds((i + 1) / 240.0);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
        }

        var codes = await Task.WhenAll(calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grpc steady: 1500 reads in {clock.Elapsed.TotalSeconds:0.0} s, {codes.Count(c => c == StatusCode.ResourceExhausted)} x RESOURCE_EXHAUSTED, " +
            $"{codes.Count(c => c is StatusCode.Unknown or StatusCode.Internal)} x UNKNOWN/INTERNAL"));
        await Task.Delay(TimeSpan.FromSeconds(3));

        // 3. Four orders of ~20 MB: 300,000 well-formed lines, each invalid (quantity 0 of a product that does not exist).
        var body = new StringBuilder("{\"customerId\":\"hostile\",\"idempotencyKey\":\"k\",\"lines\":[");
        for (var i = 0; i < 300_000; i++) body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"productId\":\"{Guid.NewGuid()}\",\"quantity\":0}}");
        var payload = body.Append("]}").ToString();
        var before = RssMegabytes(pid);
        for (var i = 0; i < 4; i++)
        {
            clock.Restart();
            // Expect: 100-continue, as curl sends it for a large body: a server that refuses on the headers alone
            // answers before the body is sent, and the client reads that answer instead of a reset.
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(rest, "/api/ordering/orders"))
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.ExpectContinue = true;
            try
            {
                using var response = await http.SendAsync(request);
                var answer = await response.Content.ReadAsByteArrayAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"20 MB order {i + 1}: {(int)response.StatusCode}, {answer.Length} bytes of answer, {clock.Elapsed.TotalMilliseconds:0} ms"));
            }
            catch (HttpRequestException e)
            {
                // Refused before the body was read: the server answered and closed while the client was still sending.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"20 MB order {i + 1}: connection closed by the server ({e.HttpRequestError}), {clock.Elapsed.TotalMilliseconds:0} ms"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process memory: {before} MB before the 20 MB orders, {RssMegabytes(pid)} MB after"));
    }

    private static async Task<StatusCode> CallAsync(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static long RssMegabytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();
}
