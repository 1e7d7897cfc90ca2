using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// What a client of the product does, over HTTP only, through the gateway's URL whatever the topology. Waits are
/// polls of observable state with a deadline: across processes there is no tracked session to wait on.
/// </summary>
public sealed class ShopClient(Topology topology) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    // Generous: a deployment's first call of an endpoint compiles its handler (dynamic code), slow on a loaded machine.
    // Every answer is also held to the OpenAPI documents of the deployments behind the gateway.
    private readonly HttpClient _http = new(topology.OpenApiChecking()) { Timeout = TimeSpan.FromSeconds(60) };

    public sealed record Order(Guid Id, string Status, decimal Total, string? CancellationReason, bool Refunded, List<Line> Lines);
    public sealed record Line(Guid ProductId, int Quantity, decimal UnitPrice);
    public sealed record Payment(Guid OrderId, string Status, decimal Amount, string? DeclineReason, string? RequestedBy, string? ClientId);
    public sealed record Ledger(int ChargeAttempts, decimal? CapturedAmount, bool Refunded);
    private sealed record Created(Guid Id);

    public async Task<Guid> AddProductAsync(string sku, decimal price, string currency = "EUR")
    {
        var response = await _http.PostAsJsonAsync(Url("/api/catalog/products"),
            new { sku, name = $"Product {sku}", price = new { amount = price, currency } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<Created>(Json))!.Id;
        // Ordering learns products from Catalog's events: wait until it accepts an order for this one.
        await EventuallyAsync(async () => (await TryPlaceAsync("probe-" + sku, id, 1, $"probe-{id}")).StatusCode == HttpStatusCode.Created,
            $"Ordering never learned product {sku}");
        return id;
    }

    public async Task ChangePriceAsync(Guid product, decimal price) =>
        (await _http.PutAsJsonAsync(Url($"/api/catalog/products/{product}/price"), new { price = new { amount = price, currency = "EUR" } }))
        .EnsureSuccessStatusCode();

    public async Task RetireAsync(Guid product) =>
        (await _http.PostAsync(Url($"/api/catalog/products/{product}/retire"), null)).EnsureSuccessStatusCode();

    public Task<HttpResponseMessage> TryPlaceAsync(string customer, Guid product, int quantity, string key) =>
        _http.PostAsJsonAsync(Url("/api/ordering/orders"),
            new { customerId = customer, idempotencyKey = key, lines = new[] { new { productId = product, quantity } } });

    /// <summary>
    /// Places an order; when the gateway answers that Ordering is unavailable (an instance died under the request),
    /// sends the same request again with the same idempotency key, as a client should: it cannot make two orders.
    /// </summary>
    public async Task<Guid> PlaceAsync(string customer, Guid product, int quantity, string? key = null)
    {
        key ??= Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            var response = await TryPlaceAsync(customer, product, quantity, key);
            if (attempt < 5 && (int)response.StatusCode is 408 or 502 or 503 or 504)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(200 * attempt);
                continue;
            }

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<Created>(Json))!.Id;
        }
    }

    /// <summary>How many requests <see cref="PlaceAsync"/> had to send again.</summary>
    public int Retries => Volatile.Read(ref _retries);

    private int _retries;

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation = default) =>
        _http.SendAsync(request, cancellation);

    public Uri GatewayUrl(string path) => Url(path);

    /// <summary>A GET through the gateway, whatever it answers.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellation = default) =>
        _http.GetAsync(Url(path), cancellation);

    /// <summary>Cancels; a 409 saying the order changed meanwhile (payment moving on) is retried, as the body advises.</summary>
    public async Task<HttpResponseMessage> CancelAsync(Guid order)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await _http.PostAsync(Url($"/api/ordering/orders/{order}/cancel"), null);
            if (response.StatusCode != HttpStatusCode.Conflict || attempt == 5
                || !(await response.Content.ReadAsStringAsync()).Contains("changed by another request", StringComparison.Ordinal))
                return response;
        }
    }

    public sealed record ModuleMap(string? Gateway, List<DeploymentEntry> Deployments, List<ModuleEntry> Modules, List<Edge> Edges);
    public sealed record DeploymentEntry(string Name, List<string> Modules, List<Instance>? Instances);
    public sealed record Instance(string Address, string Health);
    public sealed record ModuleEntry(string Name, bool RunsHere);
    public sealed record Edge(string Message, string From, string To, bool OverTransport);

    public sealed record Pending(long Queued, int Incoming, int Scheduled, int Outgoing, int HeldElsewhere, bool Drained);

    /// <summary>What one process's deployment still has to handle or send (an admin call, not through the gateway).</summary>
    public async Task<Pending> PendingAsync(Uri process) =>
        (await _http.GetFromJsonAsync<Pending>(new Uri(process, "/api/admin/messages"), Json))!;

    /// <summary>Waits until a process has nothing left to handle or send (a 503 while it reconnects is "not yet").</summary>
    public async Task WaitUntilDrainedAsync(HostProcess process, TimeSpan? patience = null)
    {
        string last = "never answered";
        await EventuallyAsync(async () =>
        {
            try
            {
                var pending = await PendingAsync(process.Url);
                last = pending.ToString();
                return pending.Drained;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
                return false;
            }
        }, () => $"{process.Name} never drained: {last}", patience);
    }

    public sealed record DeadLetter(Guid Id, string MessageType, string? Destination, string ExceptionType, int ReplayCount);

    /// <summary>One process's dead letters (an admin call, not through the gateway).</summary>
    public async Task<List<DeadLetter>> DeadLettersAsync(Uri process) =>
        (await _http.GetFromJsonAsync<List<DeadLetter>>(new Uri(process, "/api/admin/dead-letters"), Json))!;

    public async Task ReplayAsync(Uri process, Guid deadLetter) =>
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync(new Uri(process, $"/api/admin/dead-letters/{deadLetter}/replay"), null)).StatusCode);

    /// <summary>A process's <c>/health/ready</c>: status code and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(Uri process)
    {
        using var response = await _http.GetAsync(new Uri(process, "/health/ready"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public sealed record Operations(string Deployment, List<DeploymentState> Deployments);
    public sealed record DeploymentState(string Name, string Status, List<JsonElement>? Backlog, string? Problem);

    /// <summary>The operations view (<c>/api/admin/ops</c>) as the gateway has it: every deployment's state.</summary>
    public async Task<Operations> OperationsAsync() =>
        (await _http.GetFromJsonAsync<Operations>(Url("/api/admin/ops"), Json))!;

    public async Task<ModuleMap> ModuleMapAsync(Uri process) =>
        (await _http.GetFromJsonAsync<ModuleMap>(new Uri(process, "/api/admin/modules"), Json))!;

    public async Task<Order> OrderAsync(Guid id) =>
        (await _http.GetFromJsonAsync<Order>(Url($"/api/ordering/orders/{id}"), Json))!;

    public async Task<Payment?> PaymentAsync(Guid order)
    {
        var response = await _http.GetAsync(Url($"/api/payments/orders/{order}"));
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<Payment>(Json);
    }

    public async Task<Ledger> LedgerAsync(Guid order) =>
        (await _http.GetFromJsonAsync<Ledger>(Url($"/api/payments/simulator/ledger/{order}"), Json))!;

    /// <param name="at">One process (the simulated provider is each process's own); by default, through the gateway.</param>
    public async Task SetSimulatorAsync(int flakyFailures = 2, int latencyMilliseconds = 0, bool merchantMisconfigured = false, Uri? at = null) =>
        (await _http.PutAsJsonAsync(at is null ? Url("/api/payments/simulator") : new Uri(at, "/api/payments/simulator"), new
        {
            declineCustomersStartingWith = "decline-",
            declineAmountsAbove = 10_000m,
            flakyCustomersStartingWith = "flaky-",
            flakyFailures,
            merchantMisconfigured,
            latencyMilliseconds,
        })).EnsureSuccessStatusCode();

    /// <summary>Waits until the order reaches <paramref name="status"/> (and, when given, a further condition).</summary>
    public async Task<Order> WaitForOrderAsync(Guid id, string status, Func<Order, bool>? also = null, TimeSpan? patience = null)
    {
        Order? last = null;
        await EventuallyAsync(async () =>
        {
            last = await OrderAsync(id);
            return last.Status == status && (also?.Invoke(last) ?? true);
        }, () => $"order {id} stayed {last?.Status} (refunded: {last?.Refunded}), expected {status}", patience);
        return last!;
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, string failure) => EventuallyAsync(condition, () => failure);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> failure, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"After {(patience ?? Patience).TotalSeconds:0} s: {failure()}");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Every module through the one client-facing URL.</summary>
    private Uri Url(string path) => new(topology.GatewayUrl, path);
}
