using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Playwright;
using Modular.Modules.Catalog.GrpcApi;
using Modular.Modules.Ordering.GrpcApi;
using Modular.Tests.EndToEnd.Browser;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// The business flows, written once. Each subclass runs them unchanged against one topology: the monolith,
/// every module in its own process over RabbitMQ, and Ordering extracted over PostgreSQL queues.
/// </summary>
public abstract partial class OrderFlowScenarios<TTopology>(TTopology topology, ITestOutputHelper output) : IAsyncLifetime, IDisposable where TTopology : Topology
{
    private readonly ShopClient _shop = new(topology);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public Task InitializeAsync() => _shop.SetSimulatorAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _shop.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task swagger_ui_lists_every_deployments_document_and_executes_add_product_with_its_example()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(topology.GatewayUrl, "/swagger/index.html"));

        // The gateway's UI offers its own document and, through the gateway, each remote deployment's.
        var documents = topology.RemoteDeployments.Count() + 1;
        if (documents > 1)
            Assert.Equal(documents, await page.Locator("select#select option").CountAsync());

        // Find the document that has Catalog's "Add product", then try it out with the example it offers unchanged.
        var addProduct = page.Locator("#operations-Catalog-AddProduct");
        foreach (var option in documents > 1 ? await page.Locator("select#select option").AllTextContentsAsync() : [])
        {
            if (await addProduct.CountAsync() > 0) break;
            await page.SelectOptionAsync("select#select", new SelectOptionValue { Label = option });
            await page.Locator("#operations-Catalog-AddProduct, .opblock-tag").First.WaitForAsync();
        }

        // Authorize as a user would: the token make token prints, pasted into Swagger UI's dialog.
        await page.Locator(".auth-wrapper button.authorize").ClickAsync();
        await page.Locator(".modal-ux .auth-container input").First.FillAsync(await Topology.TokenAsync());
        await page.Locator(".modal-ux .auth-btn-wrapper button.authorize").ClickAsync();
        await page.Locator(".modal-ux .auth-btn-wrapper button.btn-done").ClickAsync();

        await addProduct.Locator(".opblock-summary").ClickAsync();
        await addProduct.Locator(".try-out__btn").ClickAsync();
        await addProduct.Locator(".execute").ClickAsync();
        var status = addProduct.Locator(".live-responses-table .response .response-col_status");
        await status.WaitForAsync();
        Assert.Equal("201", (await status.TextContentAsync())?.Trim());
    }

    [Fact]
    public async Task every_process_shows_the_same_module_map_with_the_edges_that_cross_processes_marked()
    {
        foreach (var process in topology.Processes)
        {
            var map = await _shop.ModuleMapAsync(process.Url);

            Assert.Equal(8, map.Edges.Count);
            Assert.All(map.Edges, e =>
                Assert.Equal(topology.DeploymentOf(e.From) != topology.DeploymentOf(e.To), e.OverTransport));
            Assert.All(map.Modules, m => Assert.Equal(topology.DeploymentOf(m.Name) == process.Name, m.RunsHere));
        }
    }

    [Fact]
    public async Task the_gateways_map_lists_the_instances_service_discovery_found_for_each_remote_deployment()
    {
        var map = await _shop.ModuleMapAsync(topology.GatewayUrl);

        foreach (var deployment in map.Deployments)
        {
            if (!topology.RemoteDeployments.Contains(deployment.Name))
            {
                Assert.Null(deployment.Instances); // itself, or a monolith: nothing to resolve
                continue;
            }

            Assert.Equal(topology.InstancesOfDeployment(deployment.Name).Select(p => p.Url.ToString()).Order(),
                deployment.Instances!.Select(i => i.Address).Order());
            Assert.All(deployment.Instances!, i => Assert.NotEqual("Unhealthy", i.Health));
        }
    }

    [Fact]
    public async Task once_orders_are_settled_every_deployment_reports_nothing_pending()
    {
        var widget = await _shop.AddProductAsync($"D-{_run}", 7m);
        var order = await _shop.PlaceAsync($"judy-{_run}", widget, 1);
        await _shop.WaitForOrderAsync(order, "Confirmed");

        foreach (var process in topology.Processes) await _shop.WaitUntilDrainedAsync(process);
    }

    [Fact]
    public async Task the_operations_page_fits_the_screen_and_its_ledger_balances_after_a_dead_letter_is_replayed_from_it()
    {
        // Three orders and one that fails for good (a misconfigured merchant): a dead letter wherever Payments runs.
        var widget = await _shop.AddProductAsync($"OPS-{_run}", 3m);
        foreach (var i in Enumerable.Range(0, 3)) await _shop.WaitForOrderAsync(await _shop.PlaceAsync($"ops-{i}-{_run}", widget, 1), "Confirmed");
        await _shop.SetSimulatorAsync(merchantMisconfigured: true);
        var failing = await _shop.PlaceAsync($"ops-failing-{_run}", widget, 1);
        var payments = topology.ProcessOf("Payments").Url;
        await ShopClient.EventuallyAsync(async () => (await _shop.DeadLettersAsync(payments)).Count > 0, "the payment never failed for good");
        await _shop.SetSimulatorAsync();

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(topology.GatewayUrl, "/ops?refresh=500"));
        await page.FillAsync("#token", await Topology.TokenAsync("operator", "admin"));
        await page.ClickAsync("#use-token");
        var letter = page.Locator("#dead-letters tr[data-id]").First;
        await letter.WaitForAsync();
        await Assertions.Expect(page.Locator("#ledger tr[data-from]")).ToHaveCountAsync(8);
        // Each deployment names its instances (this process, where nothing else knows them).
        foreach (var deployment in topology.Processes.Select(p => p.Name).Distinct())
            Assert.True(await page.Locator($"#deployments tr[data-deployment='{deployment}'] .instance").CountAsync() >= 1, $"{deployment} lists no instance");
        // The dead letter links to its edge in the ledger.
        var edge = await letter.Locator("a.edge-link").GetAttributeAsync("href");
        Assert.Equal("#edge-Ordering-PaymentRequestedEvent-Payments", edge);
        Assert.Equal(1, await page.Locator(edge!).CountAsync());

        // At 1280 and 1400 px: nothing wider than the window, every button inside it, no edge label over another or a module.
        foreach (var width in new[] { 1280, 1400 })
        {
            await page.SetViewportSizeAsync(width, 800); // the layout is measured as the browser lays it out at this width
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"the page is wider than {width} px");
            // One look at the page as drawn (it redraws every 500 ms): every button, the Replay ones included.
            var outside = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('button')].map(b => [b.textContent, b.getBoundingClientRect()])
                  .filter(([, r]) => r.left < 0 || r.right > window.innerWidth).map(([text, r]) => text + ' at ' + r.left + '..' + r.right)
                """);
            Assert.True(outside.Length == 0, $"at {width} px, buttons outside the window: {string.Join("; ", outside)}");
            Assert.True(await page.Locator("#dead-letters button.replay").CountAsync() >= 1, "the dead letter has no Replay button");

            var overlaps = await page.EvaluateAsync<string[]>("""
                () => {
                  const boxes = [...document.querySelectorAll('#module-map .edge text, #module-map .module rect')]
                    .map(e => ({ name: e.textContent || e.parentNode.dataset.module, r: e.getBoundingClientRect(), label: e.tagName === 'text' }));
                  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                  return boxes.flatMap((a, i) => boxes.slice(i + 1).filter(b => (a.label || b.label) && hit(a.r, b.r)).map(b => a.name + ' / ' + b.name));
                }
                """);
            Assert.True(overlaps.Length == 0, $"at {width} px, edge labels overlap: {string.Join("; ", overlaps)}");
        }

        // Replayed from the page: the order is confirmed, and once nothing moves every edge of the ledger balances.
        await letter.Locator("button.replay").ClickAsync();
        await _shop.WaitForOrderAsync(failing, "Confirmed");
        await ShopClient.EventuallyAsync(async () => await page.Locator("#dead-letters tr[data-id]").CountAsync() == 0
                && (await page.Locator("#ledger td.balance").AllTextContentsAsync()).All(b => b == "0"),
            "the ledger on the page did not balance after the replay");
        Assert.Equal(0, await page.Locator("#ledger tr.unbalanced, #ledger tr.undeclared").CountAsync());
    }

    [Fact]
    public async Task an_order_is_one_trace_across_every_process_it_crosses()
    {
        var widget = await _shop.AddProductAsync($"OT-{_run}", 3m);
        var trace = System.Diagnostics.ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, _shop.GatewayUrl("/api/ordering/orders"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                customerId = $"trace-{_run}",
                idempotencyKey = Guid.NewGuid().ToString(),
                lines = new[] { new { productId = widget, quantity = 1 } },
            }),
        };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        var placed = await _shop.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ShopClient.Order>(placed.Content))!;
        await _shop.WaitForOrderAsync(order.Id, "Confirmed");

        // The gateway, Ordering (the request, then PaymentCapturedEvent) and Payments (PaymentRequestedEvent).
        var crossed = new[] { topology.GatewayDeployment, topology.DeploymentOf("Ordering"), topology.DeploymentOf("Payments") }.ToHashSet();
        await ShopClient.EventuallyAsync(async () =>
        {
            await Task.Yield();
            return topology.Traces.DeploymentsWithSpansOf(trace).IsSupersetOf(crossed);
        }, () => $"spans of the order's trace came from [{string.Join(", ", topology.Traces.DeploymentsWithSpansOf(trace))}], expected [{string.Join(", ", crossed)}]");
    }

    [Fact]
    public async Task an_unknown_module_is_a_404_problem_at_the_gateway()
    {
        var response = await _shop.GetAsync("/api/shipping/parcels");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_malformed_body_gets_the_modules_own_400_through_the_gateway_unchanged()
    {
        const string Malformed = "{\"customerId\": \"x\", \"lines\": [";

        var viaGateway = await PostRawAsync(_shop.GatewayUrl("/api/ordering/orders"), Malformed);
        var direct = await PostRawAsync(new Uri(topology.ProcessOf("Ordering").Url, "/api/ordering/orders"), Malformed);

        Assert.Equal(HttpStatusCode.BadRequest, viaGateway.StatusCode);
        Assert.Equal("application/problem+json", viaGateway.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await WithoutTraceIdAsync(direct), await WithoutTraceIdAsync(viaGateway));
    }

    private Task<HttpResponseMessage> PostRawAsync(Uri url, string body) =>
        _shop.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

    /// <summary>The ProblemDetails body as the module wrote it, minus the per-request trace id.</summary>
    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    [Fact]
    public async Task the_trace_context_and_response_headers_pass_through_the_gateway()
    {
        var widget = await _shop.AddProductAsync($"T-{_run}", 5m);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var request = new HttpRequestMessage(HttpMethod.Get, _shop.GatewayUrl($"/api/ordering/orders/{Guid.NewGuid()}"));
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        var missing = await _shop.SendAsync(request);
        var placed = await _shop.TryPlaceAsync($"ivan-{_run}", widget, 1, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains(traceId, await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.StartsWith("/api/ordering/orders/", placed.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_gateways_swagger_ui_lists_a_document_for_every_module()
    {
        var documents = new List<string> { "/swagger/v1/swagger.json" };
        documents.AddRange(topology.RemoteDeployments.Select(d => $"/openapi/{d}.json"));
        var ui = await (await _shop.GetAsync("/swagger/index.js")).Content.ReadAsStringAsync();

        var paths = new List<string>();
        foreach (var document in documents)
        {
            Assert.Contains(document, ui, StringComparison.Ordinal);
            using var json = System.Text.Json.JsonDocument.Parse(await (await _shop.GetAsync(document)).Content.ReadAsStringAsync());
            paths.AddRange(json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name));
        }

        foreach (var prefix in (string[])["/api/catalog/", "/api/ordering/", "/api/payments/"])
            Assert.Contains(paths, p => p.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_paid_order_is_confirmed()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 19.99m);

        var order = await _shop.PlaceAsync($"alice-{_run}", widget, 2);

        Assert.Equal(39.98m, (await _shop.WaitForOrderAsync(order, "Confirmed")).Total);
        Assert.Equal("Captured", (await _shop.PaymentAsync(order))!.Status);
        Assert.Equal(1, (await _shop.LedgerAsync(order)).ChargeAttempts);
    }

    [Fact]
    public async Task an_order_placed_over_grpc_at_the_gateway_is_confirmed_and_a_refusal_keeps_its_code()
    {
        var widget = await _shop.AddProductAsync($"G-{_run}", 7.5m);
        using var channel = GrpcChannel.ForAddress(topology.GatewayGrpcUrl);
        var headers = new Metadata { { "authorization", $"Bearer {await Topology.DeveloperTokenAsync()}" } };
        var orders = new Orders.OrdersClient(channel);

        var product = await new Products.ProductsClient(channel).GetProductAsync(new GetProductRequest { Id = widget.ToString() }, headers);
        var placed = await orders.PlaceOrderAsync(new PlaceOrderRequest
        {
            CustomerId = $"grpc-{_run}",
            IdempotencyKey = _run,
            Lines = { new Modular.Modules.Ordering.GrpcApi.PlaceOrderLine { ProductId = widget.ToString(), Quantity = 2 } },
        }, headers);

        Assert.Equal(("7.5", "EUR"), (product.Price, product.Currency));
        Assert.Equal(15m, (await _shop.WaitForOrderAsync(Guid.Parse(placed.Id), "Confirmed")).Total);
        Assert.Equal(Modular.Modules.Ordering.GrpcApi.OrderStatus.Confirmed, (await orders.GetOrderAsync(new GetOrderRequest { Id = placed.Id }, headers)).Status);
        var missing = await Assert.ThrowsAsync<RpcException>(() => orders.GetOrderAsync(new GetOrderRequest { Id = Guid.NewGuid().ToString() }, headers).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "Order not found."), (missing.StatusCode, missing.Status.Detail));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => orders.GetOrderAsync(new GetOrderRequest { Id = placed.Id }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task a_declined_payment_cancels_the_order()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 10m);

        var order = await _shop.PlaceAsync($"decline-bob-{_run}", widget, 1);

        Assert.Equal("PaymentDeclined", (await _shop.WaitForOrderAsync(order, "Cancelled")).CancellationReason);
        Assert.Null((await _shop.LedgerAsync(order)).CapturedAmount);
    }

    [Fact]
    public async Task an_order_keeps_its_price_when_the_catalog_price_changes_while_it_is_in_flight()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 10m);
        await _shop.SetSimulatorAsync(latencyMilliseconds: 500);

        var order = await _shop.PlaceAsync($"carol-{_run}", widget, 3);
        await _shop.ChangePriceAsync(widget, 99m);

        Assert.Equal(10m, (await _shop.WaitForOrderAsync(order, "Confirmed")).Lines.Single().UnitPrice);
        Assert.Equal(30m, (await _shop.PaymentAsync(order))!.Amount);
    }

    [Fact]
    public async Task a_retired_product_can_no_longer_be_ordered()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 10m);

        await _shop.RetireAsync(widget);

        await ShopClient.EventuallyAsync(async () =>
            (await _shop.TryPlaceAsync($"dave-{_run}", widget, 1, Guid.NewGuid().ToString())).StatusCode == HttpStatusCode.UnprocessableEntity,
            "Ordering still accepts the retired product");
    }

    [Fact]
    public async Task cancelling_before_payment_means_the_order_is_never_charged()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 10m);
        await _shop.SetSimulatorAsync(flakyFailures: 3); // the charge times out for ~0.85 s: the cancellation lands first

        var order = await _shop.PlaceAsync($"flaky-erin-{_run}", widget, 1);
        Assert.Equal(HttpStatusCode.OK, (await _shop.CancelAsync(order)).StatusCode);

        Assert.Equal("CancelledByCustomer", (await _shop.WaitForOrderAsync(order, "Cancelled")).CancellationReason);
        await ShopClient.EventuallyAsync(async () => (await _shop.PaymentAsync(order))?.Status == "Voided", "payment was not voided");
        Assert.Null((await _shop.LedgerAsync(order)).CapturedAmount);
    }

    [Fact]
    public async Task cancelling_after_capture_refunds_the_payment()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 25m);
        var order = await _shop.PlaceAsync($"frank-{_run}", widget, 2);
        await _shop.WaitForOrderAsync(order, "Confirmed");

        Assert.Equal(HttpStatusCode.OK, (await _shop.CancelAsync(order)).StatusCode);

        await _shop.WaitForOrderAsync(order, "Cancelled", o => o.Refunded);
        Assert.True((await _shop.LedgerAsync(order)).Refunded);
        Assert.Equal("Refunded", (await _shop.PaymentAsync(order))!.Status);
    }

    [Fact]
    public async Task a_transient_provider_failure_is_retried_until_it_succeeds()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 10m);

        var order = await _shop.PlaceAsync($"flaky-grace-{_run}", widget, 1);

        await _shop.WaitForOrderAsync(order, "Confirmed");
        Assert.Equal(3, (await _shop.LedgerAsync(order)).ChargeAttempts);
    }

    [Fact]
    public async Task a_retried_request_returns_the_same_order_and_charges_once()
    {
        var widget = await _shop.AddProductAsync($"W-{_run}", 10m);
        var key = Guid.NewGuid().ToString();

        var first = await _shop.PlaceAsync($"heidi-{_run}", widget, 1, key);
        await _shop.WaitForOrderAsync(first, "Confirmed");
        var second = await _shop.PlaceAsync($"heidi-{_run}", widget, 1, key);

        Assert.Equal(first, second);
        Assert.Equal(1, (await _shop.LedgerAsync(first)).ChargeAttempts);
    }
}

[Collection(EndToEndSuite.Name)]
public sealed class MonolithFlows(MonolithTopology topology, ITestOutputHelper output)
    : OrderFlowScenarios<MonolithTopology>(topology, output), IClassFixture<MonolithTopology>;

[Collection(EndToEndSuite.Name)]
public sealed class EveryModuleOverRabbitMqFlows(EveryModuleOverRabbitMq topology, ITestOutputHelper output)
    : OrderFlowScenarios<EveryModuleOverRabbitMq>(topology, output), IClassFixture<EveryModuleOverRabbitMq>;

[Collection(EndToEndSuite.Name)]
public sealed class OrderingOverPostgresQueuesFlows(OrderingOverPostgresQueues topology, ITestOutputHelper output)
    : OrderFlowScenarios<OrderingOverPostgresQueues>(topology, output), IClassFixture<OrderingOverPostgresQueues>;

/// <summary>One collection: topologies come up one after the other, not all at once on two cores.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndSuite
{
    public const string Name = "end-to-end";
}
