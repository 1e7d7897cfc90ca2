using Alba;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Ordering;
using Modular.Modules.Payments;
using Wolverine.Tracking;

namespace Modular.Tests.Integration.Ordering;

[CollectionDefinition(Name)]
public sealed class OrderingSuite : ICollectionFixture<ModularApp>
{
    public const string Name = "ordering";
}

/// <summary>
/// Base of the cross-module flow tests: Catalog, Ordering and Payments in one host, clean data and default
/// simulator rules before each test. Every wait is a tracked session: the test resumes when all messages
/// caused by its action (across modules, retries included) are handled.
/// </summary>
[Collection(OrderingSuite.Name)]
public abstract class OrderingTest(ModularApp app) : IAsyncLifetime
{
    protected const string Orders = "/api/ordering/orders";

    protected ModularApp App { get; } = app;
    protected IAlbaHost Host => App.Host;
    protected SimulatorSettings Simulator => Host.Services.GetRequiredService<SimulatorSettings>();

    public Task InitializeAsync() => App.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Adds a product through Catalog and waits until Ordering's read model has it.</summary>
    protected async Task<Guid> AddProductAsync(string sku, decimal price, string currency = "EUR")
    {
        Guid id = default;
        await App.TrackAsync(async () =>
        {
            var result = await Host.Scenario(x =>
            {
                x.Post.Json(new AddProduct(sku, $"Product {sku}", new Money(price, currency))).ToUrl("/api/catalog/products");
                x.StatusCodeShouldBe(201);
            });
            id = (await result.ReadAsJsonAsync<ProductAdded>())!.Id;
        });
        return id;
    }

    protected static PlaceOrder AnOrder(string customer, params (Guid Product, int Quantity)[] lines) =>
        new(customer, lines.Select(l => new PlaceOrderLine(l.Product, l.Quantity)).ToList(), Guid.NewGuid().ToString());

    /// <summary>Places an order (as the developer, or with <paramref name="token"/>) and waits for everything it sets in motion (payment included).</summary>
    protected async Task<(Guid Id, ITrackedSession Tracked)> PlaceAsync(PlaceOrder order, bool failuresExpected = false, string? token = null)
    {
        Guid id = default;
        var tracked = await App.TrackAsync(async () =>
        {
            var result = await Host.Scenario(x =>
            {
                x.Post.Json(order).ToUrl(Orders);
                if (token is not null) x.WithRequestHeader("Authorization", $"Bearer {token}");
                x.StatusCodeShouldBe(201);
            });
            id = (await result.ReadAsJsonAsync<OrderAccepted>())!.Id;
        }, failuresExpected);
        return (id, tracked);
    }

    protected async Task<OrderDetails> GetOrderAsync(Guid id) =>
        (await (await Host.Scenario(x => x.Get.Url($"{Orders}/{id}"))).ReadAsJsonAsync<OrderDetails>())!;

    protected async Task<PaymentDetails> GetPaymentAsync(Guid orderId) =>
        (await (await Host.Scenario(x => x.Get.Url($"/api/payments/orders/{orderId}"))).ReadAsJsonAsync<PaymentDetails>())!;

    protected async Task<LedgerEntry> LedgerAsync(Guid orderId) =>
        (await (await Host.Scenario(x => x.Get.Url($"/api/payments/simulator/ledger/{orderId}"))).ReadAsJsonAsync<LedgerEntry>())!;

    /// <summary>
    /// Cancels as a client should: a 409 "changed by another request" (the payment step appended to the
    /// order meanwhile) is read again and retried.
    /// </summary>
    protected async Task CancelRetryingConflictsAsync(Guid id)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await Host.Scenario(x =>
            {
                x.Post.Url($"{Orders}/{id}/cancel");
                x.IgnoreStatusCode();
            });
            var status = result.Context.Response.StatusCode;
            if (status == 200) return;
            Assert.True(status == 409 && attempt < 5, $"cancel answered {status} on attempt {attempt}");
        }
    }

    protected Task<ITrackedSession> CancelAsync(Guid id, int status = 200) =>
        App.TrackAsync(() => Host.Scenario(x =>
        {
            x.Post.Url($"{Orders}/{id}/cancel");
            x.StatusCodeShouldBe(status);
        }));

    protected Task<long> CountOrderEventsAsync() => App.Database.ScalarAsync<long>("select count(*) from ordering.mt_events");

    protected Task<ProblemBody> ProblemAsync(Action<Scenario> request, int status) => App.ProblemAsync(request, status);
}
