using Marten;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>AwaitingPayment → Cancelled when the payment was declined. A repeated decline changes nothing.</summary>
public static class PaymentDeclinedEventHandler
{
    public static async Task<OrderCancelledEvent?> Handle(PaymentDeclinedEvent declined, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Order>(declined.OrderId, ct);
        if (stream.Aggregate is not { } order || order.RecordDecline(declined.Reason, declined.DeclinedAt) is not { } recorded)
            return null;

        stream.AppendOne(recorded);
        return new OrderCancelledEvent(order.Id, order.CustomerId, Order.PaymentWasDeclined, declined.DeclinedAt);
    }
}
