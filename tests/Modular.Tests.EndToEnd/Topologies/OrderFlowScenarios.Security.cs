using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>The security rules, through the gateway, in every topology: the same answers wherever a module runs.</summary>
public abstract partial class OrderFlowScenarios<TTopology>
{
    [Fact]
    public async Task every_bad_token_is_a_401_problem_with_www_authenticate_for_local_and_forwarded_routes()
    {
        // Catalog runs in the gateway's deployment or behind it, Ordering behind it in the extracted topologies.
        foreach (var path in (string[])["/api/catalog/products", "/api/ordering/orders?customerId=mallory", "/api/payments/simulator"])
        foreach (var (kind, token) in HandMadeTokens.Bad())
        {
            var response = await SendAsAsync(token, HttpMethod.Get, path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{kind} on {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("/problems/unauthorized", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task a_token_without_the_permission_is_a_403_and_another_customers_order_a_404()
    {
        var widget = await _shop.AddProductAsync($"SEC-{_run}", 4m);
        var alice = HandMadeTokens.For($"alice-{_run}", ["customer"]);
        var bob = HandMadeTokens.For($"bob-{_run}", ["customer"]);

        var placed = await SendAsAsync(alice, HttpMethod.Post, "/api/ordering/orders", AnOrder($"alice-{_run}", widget));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<ShopClient.Order>())!.Id;

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsAsync(alice, HttpMethod.Post, "/api/catalog/products",
            new { sku = $"NO-{_run}", name = "Not yours to add", price = new { amount = 1m, currency = "EUR" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsAsync(alice, HttpMethod.Get, "/api/payments/simulator")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsAsync(bob, HttpMethod.Post, "/api/ordering/orders", AnOrder($"alice-{_run}", widget))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsAsync(bob, HttpMethod.Get, $"/api/ordering/orders/{order}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsAsync(bob, HttpMethod.Post, $"/api/ordering/orders/{order}/cancel")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsAsync(alice, HttpMethod.Get, $"/api/ordering/orders/{order}")).StatusCode);
        await _shop.WaitForOrderAsync(order, "Confirmed");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsAsync(bob, HttpMethod.Get, $"/api/payments/orders/{order}")).StatusCode);
    }

    [Fact]
    public async Task the_caller_travels_with_the_order_to_payments_and_a_client_cannot_name_another()
    {
        var widget = await _shop.AddProductAsync($"WHO-{_run}", 6m);
        var customer = $"alice-{_run}";
        var request = Request(HandMadeTokens.For(customer, ["customer"], clientId: "shop-web"), HttpMethod.Post,
            "/api/ordering/orders", AnOrder(customer, widget));
        request.Headers.Add("user-name", "mallory"); // Wolverine's envelope header, and ours, sent by a client
        request.Headers.Add("modular-client-id", "forged");

        var placed = await _shop.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<ShopClient.Order>())!.Id;

        await _shop.WaitForOrderAsync(order, "Confirmed");
        var payment = (await _shop.PaymentAsync(order))!;
        Assert.Equal((customer, "shop-web"), (payment.RequestedBy, payment.ClientId));
    }

    [Fact]
    public async Task a_replayed_dead_letter_is_still_done_for_the_customer_who_placed_the_order()
    {
        var widget = await _shop.AddProductAsync($"DL-{_run}", 8m);
        await _shop.SetSimulatorAsync(merchantMisconfigured: true);
        var customer = $"liam-{_run}";
        var placed = await SendAsAsync(HandMadeTokens.For(customer, ["customer"], clientId: "shop-web"), HttpMethod.Post,
            "/api/ordering/orders", AnOrder(customer, widget));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<ShopClient.Order>())!.Id;

        // The payment request fails for good in Payments' deployment, whose admin API lists it. The developer fixes the
        // simulator and replays what is there (the product's probe order may have failed alongside) until it is confirmed.
        var payments = topology.ProcessOf("Payments").Url;
        await ShopClient.EventuallyAsync(async () => (await _shop.LedgerAsync(order)).ChargeAttempts > 0, "the charge was never tried");
        await _shop.SetSimulatorAsync();
        await ShopClient.EventuallyAsync(async () =>
        {
            foreach (var letter in await _shop.DeadLettersAsync(payments)) await _shop.ReplayAsync(payments, letter.Id);
            return (await _shop.OrderAsync(order)).Status == "Confirmed";
        }, "the order was not confirmed after the replay");

        var payment = (await _shop.PaymentAsync(order))!;
        Assert.Equal((customer, "shop-web"), (payment.RequestedBy, payment.ClientId));
    }

    [Fact]
    public async Task a_client_over_its_rate_limit_gets_429_with_retry_after_and_other_clients_do_not()
    {
        var greedy = HandMadeTokens.For($"greedy-{_run}", ["customer"]);

        // Ten times the burst at once: however slow the machine, the bucket cannot refill that fast.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20 * Topology.CatalogRateLimit)
            .Select(_ => SendAsAsync(greedy, HttpMethod.Get, "/api/catalog/products")));

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.TooManyRequests]));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("/problems/too-many-requests", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsAsync(HandMadeTokens.For($"patient-{_run}", ["customer"]), HttpMethod.Get, "/api/catalog/products")).StatusCode);
    }

    private static object AnOrder(string customer, Guid product) =>
        new { customerId = customer, idempotencyKey = Guid.NewGuid().ToString(), lines = new[] { new { productId = product, quantity = 1 } } };

    private HttpRequestMessage Request(string? token, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, _shop.GatewayUrl(path)) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is null) request.Options.Set(Modular.Tests.Support.BearerTokenHandler.Anonymous, true); // not even the developer's
        else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private Task<HttpResponseMessage> SendAsAsync(string? token, HttpMethod method, string path, object? body = null) =>
        _shop.SendAsync(Request(token, method, path, body));
}
