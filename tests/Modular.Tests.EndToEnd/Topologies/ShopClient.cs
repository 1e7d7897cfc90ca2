using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// What a client of the product does, over HTTP only, against whichever process hosts each module. Waits are
/// polls of observable state with a deadline: across processes there is no tracked session to wait on.
/// </summary>
public sealed class ShopClient(Topology topology) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public sealed record Order(Guid Id, string Status, decimal Total, string? CancellationReason, bool Refunded, List<Line> Lines);
    public sealed record Line(Guid ProductId, int Quantity, decimal UnitPrice);
    public sealed record Payment(Guid OrderId, string Status, decimal Amount, string? DeclineReason);
    public sealed record Ledger(int ChargeAttempts, decimal? CapturedAmount, bool Refunded);
    private sealed record Created(Guid Id);

    public async Task<Guid> AddProductAsync(string sku, decimal price, string currency = "EUR")
    {
        var response = await _http.PostAsJsonAsync(Url("Catalog", "/api/catalog/products"),
            new { sku, name = $"Product {sku}", price = new { amount = price, currency } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<Created>(Json))!.Id;
        // Ordering learns products from Catalog's events: wait until it accepts an order for this one.
        await EventuallyAsync(async () => (await TryPlaceAsync("probe-" + sku, id, 1, $"probe-{id}")).StatusCode == HttpStatusCode.Created,
            $"Ordering never learned product {sku}");
        return id;
    }

    public async Task ChangePriceAsync(Guid product, decimal price) =>
        (await _http.PutAsJsonAsync(Url("Catalog", $"/api/catalog/products/{product}/price"), new { price = new { amount = price, currency = "EUR" } }))
        .EnsureSuccessStatusCode();

    public async Task RetireAsync(Guid product) =>
        (await _http.PostAsync(Url("Catalog", $"/api/catalog/products/{product}/retire"), null)).EnsureSuccessStatusCode();

    public Task<HttpResponseMessage> TryPlaceAsync(string customer, Guid product, int quantity, string key) =>
        _http.PostAsJsonAsync(Url("Ordering", "/api/ordering/orders"),
            new { customerId = customer, idempotencyKey = key, lines = new[] { new { productId = product, quantity } } });

    public async Task<Guid> PlaceAsync(string customer, Guid product, int quantity, string? key = null)
    {
        var response = await TryPlaceAsync(customer, product, quantity, key ?? Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Created>(Json))!.Id;
    }

    /// <summary>Cancels; a 409 saying the order changed meanwhile (payment moving on) is retried, as the body advises.</summary>
    public async Task<HttpResponseMessage> CancelAsync(Guid order)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await _http.PostAsync(Url("Ordering", $"/api/ordering/orders/{order}/cancel"), null);
            if (response.StatusCode != HttpStatusCode.Conflict || attempt == 5
                || !(await response.Content.ReadAsStringAsync()).Contains("changed by another request", StringComparison.Ordinal))
                return response;
        }
    }

    public sealed record ModuleMap(List<ModuleEntry> Modules, List<Edge> Edges);
    public sealed record ModuleEntry(string Name, bool HostedHere);
    public sealed record Edge(string Message, string From, string To, bool OverTransport);

    public async Task<ModuleMap> ModuleMapAsync(Uri process) =>
        (await _http.GetFromJsonAsync<ModuleMap>(new Uri(process, "/api/admin/modules"), Json))!;

    public async Task<Order> OrderAsync(Guid id) =>
        (await _http.GetFromJsonAsync<Order>(Url("Ordering", $"/api/ordering/orders/{id}"), Json))!;

    public async Task<Payment?> PaymentAsync(Guid order)
    {
        var response = await _http.GetAsync(Url("Payments", $"/api/payments/orders/{order}"));
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<Payment>(Json);
    }

    public async Task<Ledger> LedgerAsync(Guid order) =>
        (await _http.GetFromJsonAsync<Ledger>(Url("Payments", $"/api/payments/simulator/ledger/{order}"), Json))!;

    public async Task SetSimulatorAsync(int flakyFailures = 2, int latencyMilliseconds = 0, bool merchantMisconfigured = false) =>
        (await _http.PutAsJsonAsync(Url("Payments", "/api/payments/simulator"), new
        {
            declineCustomersStartingWith = "decline-",
            declineAmountsAbove = 10_000m,
            flakyCustomersStartingWith = "flaky-",
            flakyFailures,
            merchantMisconfigured,
            latencyMilliseconds,
        })).EnsureSuccessStatusCode();

    /// <summary>Waits until the order reaches <paramref name="status"/> (and, when given, a further condition).</summary>
    public async Task<Order> WaitForOrderAsync(Guid id, string status, Func<Order, bool>? also = null)
    {
        Order? last = null;
        await EventuallyAsync(async () =>
        {
            last = await OrderAsync(id);
            return last.Status == status && (also?.Invoke(last) ?? true);
        }, () => $"order {id} stayed {last?.Status} (refunded: {last?.Refunded}), expected {status}");
        return last!;
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, string failure) => EventuallyAsync(condition, () => failure);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"After {Patience.TotalSeconds:0} s: {failure()}");
    }

    public void Dispose() => _http.Dispose();

    private Uri Url(string module, string path) => new(topology.UrlOf(module), path);
}
