using Marten;
using Microsoft.Extensions.Logging;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>AwaitingPayment → Confirmed when Payments captured the money. A repeated capture changes nothing.</summary>
public static partial class PaymentCapturedEventHandler
{
    public static async Task<OrderConfirmedEvent?> Handle(PaymentCapturedEvent captured, IDocumentSession session, TimeProvider clock,
        ILogger logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Order>(captured.OrderId, ct);
        if (stream.Aggregate is not { } order || order.RecordCapture(captured.PaymentReference, captured.CapturedAt, clock.GetUtcNow()) is not { } recorded)
            return null;

        stream.AppendOne(recorded);
        order.Apply(recorded); // the order decides: paid after the customer cancelled, it stays cancelled (Payments refunds)
        var confirmed = order.Status == OrderStatus.Confirmed;
        LogPaid(logger, order.Id, confirmed ? "confirmed" : "paid after it was cancelled (Payments refunds)");
        return confirmed ? new OrderConfirmedEvent(order.Id, order.CustomerId, recorded.RecordedAt) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} {Outcome}")]
    private static partial void LogPaid(ILogger logger, Guid orderId, string outcome);
}
