using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Ordering;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments;
using Modular.Modules.Payments.Contracts;
using Wolverine.Tracking;

namespace Modular.Tests.Integration.Ordering;

/// <summary>
/// At-least-once delivery means any cross-module message can arrive twice. Each is published again here,
/// as a new envelope (so the inbox cannot drop it): the second copy must change nothing.
/// </summary>
public sealed class DuplicateDeliveryTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task a_repeated_payment_request_never_charges_twice()
    {
        var (id, placed) = await PlaceConfirmedOrderAsync();

        var again = await RepublishAsync(placed.Sent.SingleMessage<PaymentRequestedEvent>());

        Assert.Equal(1, (await LedgerAsync(id)).ChargeAttempts);
        Assert.Empty(again.Sent.MessagesOf<PaymentCapturedEvent>());
        Assert.Equal(PaymentStatus.Captured, (await GetPaymentAsync(id)).Status);
    }

    [Fact]
    public async Task a_repeated_capture_confirms_once()
    {
        var (id, placed) = await PlaceConfirmedOrderAsync();
        var events = await StreamLengthAsync(id);

        var again = await RepublishAsync(placed.Sent.SingleMessage<PaymentCapturedEvent>());

        Assert.Equal(events, await StreamLengthAsync(id));
        Assert.Empty(again.Sent.MessagesOf<OrderConfirmedEvent>());
    }

    [Fact]
    public async Task a_repeated_decline_cancels_once()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var (id, placed) = await PlaceAsync(AnOrder("decline-ivan", (widget, 1)));
        var events = await StreamLengthAsync(id);

        var again = await RepublishAsync(placed.Sent.SingleMessage<PaymentDeclinedEvent>());

        Assert.Equal(events, await StreamLengthAsync(id));
        Assert.Empty(again.Sent.MessagesOf<OrderCancelledEvent>());
    }

    [Fact]
    public async Task a_repeated_cancellation_refunds_once()
    {
        var (id, _) = await PlaceConfirmedOrderAsync();
        var cancelled = await CancelAsync(id);
        var refundedAt = (await GetPaymentAsync(id)).RefundedAt;

        var again = await RepublishAsync(cancelled.Sent.SingleMessage<OrderCancelledEvent>());

        Assert.Empty(again.Sent.MessagesOf<PaymentRefundedEvent>());
        Assert.Equal(refundedAt, (await GetPaymentAsync(id)).RefundedAt);
    }

    [Fact]
    public async Task a_repeated_refund_notice_is_recorded_once()
    {
        var (id, _) = await PlaceConfirmedOrderAsync();
        var cancelled = await CancelAsync(id);
        var events = await StreamLengthAsync(id);

        await RepublishAsync(cancelled.Executed.SingleMessage<PaymentRefundedEvent>());

        Assert.Equal(events, await StreamLengthAsync(id));
    }

    [Fact]
    public async Task placing_requests_payment_in_the_same_transaction_and_a_payment_step_queued_by_an_earlier_version_changes_nothing()
    {
        var (id, placed) = await PlaceConfirmedOrderAsync();
        Assert.Empty(placed.Sent.MessagesOf<RequestPayment>());

        var again = await RepublishAsync(new RequestPayment(id));

        Assert.Empty(again.Sent.MessagesOf<PaymentRequestedEvent>());
        Assert.Equal(OrderStatus.Confirmed, (await GetOrderAsync(id)).Status);
    }

    [Fact]
    public async Task an_order_an_earlier_version_placed_moves_on_to_payment_when_its_queued_step_arrives()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var id = Guid.NewGuid();
        await using (var session = Host.Services.GetRequiredService<IOrderingStore>().LightweightSession())
        {
            // What an earlier version committed: the order placed, its payment step still queued.
            session.Events.StartStream<Order>(id, new OrderPlaced(id, "kim", [new OrderLine(widget, "WID-1", "Product WID-1", 1, 10m)],
                "EUR", $"{widget:N}x1", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await RepublishAsync(new RequestPayment(id));

        Assert.Equal(OrderStatus.Confirmed, (await GetOrderAsync(id)).Status);
        Assert.Equal(PaymentStatus.Captured, (await GetPaymentAsync(id)).Status);
    }

    [Fact]
    public async Task catalog_events_twice_or_out_of_order_leave_ordering_with_the_newest_price()
    {
        var product = Guid.NewGuid();
        var added = new ProductAddedEvent(product, "LATE-1", "Late", new Money(10m, "EUR"), DateTimeOffset.UtcNow.AddMinutes(-5));
        var changed = new ProductPriceChangedEvent(product, new Money(10m, "EUR"), new Money(12m, "EUR"), DateTimeOffset.UtcNow);

        await RepublishAsync(changed); // the change overtakes the addition
        await RepublishAsync(added);
        await RepublishAsync(added);
        await RepublishAsync(changed);

        var (id, _) = await PlaceAsync(AnOrder("judy", (product, 1)));
        var order = await GetOrderAsync(id);
        Assert.Equal(12m, order.Lines.Single().UnitPrice);
        Assert.Equal("LATE-1", order.Lines.Single().Sku);
    }

    private async Task<(Guid Id, ITrackedSession Tracked)> PlaceConfirmedOrderAsync()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var placed = await PlaceAsync(AnOrder("kim", (widget, 1)));
        Assert.Equal(OrderStatus.Confirmed, (await GetOrderAsync(placed.Id)).Status);
        return placed;
    }

    private Task<ITrackedSession> RepublishAsync(object message) =>
        Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).PublishMessageAndWaitAsync(message);

    private Task<long> StreamLengthAsync(Guid id) =>
        App.Database.ScalarAsync<long>($"select count(*) from ordering.mt_events where stream_id = '{id}'");
}
