using Marten;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>AwaitingPayment → Confirmed when Payments captured the money. A repeated capture changes nothing.</summary>
public static class PaymentCapturedEventHandler
{
    public static async Task<OrderConfirmedEvent?> Handle(PaymentCapturedEvent captured, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Order>(captured.OrderId, ct);
        if (stream.Aggregate is not { } order || order.RecordCapture(captured.PaymentReference, captured.CapturedAt, clock.GetUtcNow()) is not { } recorded)
            return null;

        var wasCancelled = order.Status == OrderStatus.Cancelled;
        stream.AppendOne(recorded);
        // Paid after the customer cancelled: Payments sees the cancellation and refunds; no confirmation.
        return wasCancelled ? null : new OrderConfirmedEvent(order.Id, order.CustomerId, recorded.RecordedAt);
    }
}
