using Modular.Modules.Ordering;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments;
using Modular.Modules.Payments.Contracts;

namespace Modular.Tests.Integration.Ordering;

/// <summary>The business flow across Catalog, Ordering and Payments, every path.</summary>
public sealed class OrderFlowTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task a_paid_order_is_confirmed()
    {
        var widget = await AddProductAsync("WID-1", 19.99m);

        var (id, tracked) = await PlaceAsync(AnOrder("alice", (widget, 2)));

        var order = await GetOrderAsync(id);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(39.98m, order.Total);
        Assert.Equal(PaymentStatus.Captured, (await GetPaymentAsync(id)).Status);
        Assert.Equal(39.98m, (await LedgerAsync(id)).CapturedAmount);
        Assert.Equal(39.98m, tracked.Executed.SingleMessage<OrderPlacedEvent>().Total);
        Assert.Equal(id, tracked.Executed.SingleMessage<OrderConfirmedEvent>().OrderId);
    }

    [Fact]
    public async Task a_declined_payment_cancels_the_order()
    {
        var widget = await AddProductAsync("WID-1", 19.99m);

        var (id, tracked) = await PlaceAsync(AnOrder("decline-bob", (widget, 1)));

        var order = await GetOrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(Order.PaymentWasDeclined, order.CancellationReason);
        Assert.Equal(PaymentStatus.Declined, (await GetPaymentAsync(id)).Status);
        Assert.Null((await LedgerAsync(id)).CapturedAmount);
        Assert.Equal("card_declined", tracked.Executed.SingleMessage<PaymentDeclinedEvent>().Reason);
        Assert.Empty(tracked.Sent.MessagesOf<OrderConfirmedEvent>());
    }

    [Fact]
    public async Task an_order_keeps_its_price_when_the_catalog_price_changes_while_it_is_in_flight()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        Simulator.LatencyMilliseconds = 300; // the payment is still running when the price changes

        Guid id = default;
        await App.TrackAsync(async () =>
        {
            var placed = await Host.Scenario(x =>
            {
                x.Post.Json(AnOrder("carol", (widget, 3))).ToUrl(Orders);
                x.StatusCodeShouldBe(201);
            });
            id = (await placed.ReadAsJsonAsync<OrderAccepted>())!.Id;
            await Host.Scenario(x => x.Put.Json(new { price = new { amount = 99m, currency = "EUR" } })
                .ToUrl($"/api/catalog/products/{widget}/price"));
        });

        var order = await GetOrderAsync(id);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(10m, order.Lines.Single().UnitPrice);
        Assert.Equal(30m, (await GetPaymentAsync(id)).Amount);

        var (later, _) = await PlaceAsync(AnOrder("carol", (widget, 1)));
        Assert.Equal(99m, (await GetOrderAsync(later)).Lines.Single().UnitPrice);
    }

    [Fact]
    public async Task cancelling_before_payment_means_the_order_is_never_charged()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        // The provider times out three times (retries at +100, +250, +500 ms): the cancellation lands first.
        Simulator.FlakyFailures = 3;

        Guid id = default;
        var tracked = await App.TrackAsync(async () =>
        {
            var placed = await Host.Scenario(x =>
            {
                x.Post.Json(AnOrder("flaky-dave", (widget, 1))).ToUrl(Orders);
                x.StatusCodeShouldBe(201);
            });
            id = (await placed.ReadAsJsonAsync<OrderAccepted>())!.Id;
            await CancelRetryingConflictsAsync(id);
        });

        var order = await GetOrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(Order.CancelledByCustomer, order.CancellationReason);
        Assert.Equal(PaymentStatus.Voided, (await GetPaymentAsync(id)).Status);
        Assert.Null((await LedgerAsync(id)).CapturedAmount);
        Assert.Empty(tracked.Sent.MessagesOf<PaymentCapturedEvent>());
    }

    [Fact]
    public async Task cancelling_after_capture_refunds_the_payment()
    {
        var widget = await AddProductAsync("WID-1", 25m);
        var (id, _) = await PlaceAsync(AnOrder("erin", (widget, 2)));

        var tracked = await CancelAsync(id);

        var order = await GetOrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.True(order.Refunded);
        Assert.Equal(PaymentStatus.Refunded, (await GetPaymentAsync(id)).Status);
        Assert.True((await LedgerAsync(id)).Refunded);
        Assert.Equal(50m, tracked.Executed.SingleMessage<PaymentRefundedEvent>().Amount);
    }

    [Fact]
    public async Task a_transient_provider_failure_is_retried_until_it_succeeds()
    {
        var widget = await AddProductAsync("WID-1", 10m);

        var (id, _) = await PlaceAsync(AnOrder("flaky-frank", (widget, 1)));

        Assert.Equal(OrderStatus.Confirmed, (await GetOrderAsync(id)).Status);
        var ledger = await LedgerAsync(id);
        Assert.Equal(3, ledger.ChargeAttempts); // two timeouts, then the capture
        Assert.Equal(10m, ledger.CapturedAmount);
    }

    [Fact]
    public async Task an_amount_over_the_provider_limit_is_declined()
    {
        var safe = await AddProductAsync("SAFE-1", 9_000m);

        var (id, _) = await PlaceAsync(AnOrder("grace", (safe, 2)));

        Assert.Equal(OrderStatus.Cancelled, (await GetOrderAsync(id)).Status);
        Assert.Equal("amount_too_large", (await GetPaymentAsync(id)).DeclineReason);
    }

    [Fact]
    public async Task cancelling_twice_is_a_409_and_refunds_once()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var (id, _) = await PlaceAsync(AnOrder("heidi", (widget, 1)));
        await CancelAsync(id);

        var tracked = await App.TrackAsync(() => ProblemAsync(x => x.Post.Url($"{Orders}/{id}/cancel"), 409));

        Assert.Empty(tracked.Sent.MessagesOf<OrderCancelledEvent>());
        Assert.True((await LedgerAsync(id)).Refunded);
    }
}
