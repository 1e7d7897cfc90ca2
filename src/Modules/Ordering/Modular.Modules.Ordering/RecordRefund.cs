using Marten;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>Notes on a cancelled order that its payment was given back.</summary>
public static class PaymentRefundedEventHandler
{
    public static async Task Handle(PaymentRefundedEvent refunded, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Order>(refunded.OrderId, ct);
        if (stream.Aggregate?.RecordRefund(refunded.PaymentReference, refunded.RefundedAt) is { } recorded)
            stream.AppendOne(recorded);
    }
}
