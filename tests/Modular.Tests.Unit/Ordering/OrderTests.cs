using Modular.Modules.Ordering;

namespace Modular.Tests.Unit.Ordering;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Order Placed() => Order.Create(new OrderPlaced(Guid.NewGuid(), "alice",
        [new OrderLine(Guid.NewGuid(), "A-1", "A", 2, 10m), new OrderLine(Guid.NewGuid(), "B-1", "B", 1, 5.5m)], "EUR", "fp", Now));

    [Fact]
    public void a_placed_order_totals_its_lines_at_their_prices() => Assert.Equal(25.5m, Placed().Total);

    [Fact]
    public void payment_is_requested_once()
    {
        var order = Placed();
        order.Apply(order.RequestPayment(Now)!);

        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Null(order.RequestPayment(Now));
    }

    [Fact]
    public void a_capture_confirms_once()
    {
        var order = Placed();
        order.Apply(order.RecordCapture("ref", Now, Now)!);

        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Null(order.RecordCapture("ref", Now, Now));
    }

    [Fact]
    public void a_capture_after_cancelling_is_recorded_but_does_not_confirm()
    {
        var order = Placed();
        order.Apply(new OrderCancelled(Order.CancelledByCustomer, Now));
        order.Apply(order.RecordCapture("ref", Now, Now)!);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.True(order.PaymentCaptured);
    }

    [Fact]
    public void a_decline_cancels_only_an_unpaid_order()
    {
        var unpaid = Placed();
        unpaid.Apply(unpaid.RecordDecline("card_declined", Now)!);
        var paid = Placed();
        paid.Apply(paid.RecordCapture("ref", Now, Now)!);

        Assert.Equal(Order.PaymentWasDeclined, unpaid.CancellationReason);
        Assert.Null(unpaid.RecordDecline("card_declined", Now));
        Assert.Null(paid.RecordDecline("card_declined", Now));
    }

    [Fact]
    public void a_customer_cancels_once()
    {
        var order = Placed();
        var cancelled = order.CancelByCustomer(Now);
        order.Apply(cancelled!);

        Assert.Equal(new OrderCancelled(Order.CancelledByCustomer, Now), cancelled);
        Assert.False(order.CanBeCancelled);
        Assert.Null(order.CancelByCustomer(Now));
    }

    [Fact]
    public void a_refund_is_recorded_once()
    {
        var order = Placed();
        order.Apply(order.RecordRefund("ref", Now)!);

        Assert.True(order.Refunded);
        Assert.Null(order.RecordRefund("ref", Now));
    }
}
