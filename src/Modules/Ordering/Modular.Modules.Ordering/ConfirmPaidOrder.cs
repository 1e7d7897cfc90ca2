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

        var wasCancelled = order.Status == OrderStatus.Cancelled;
        stream.AppendOne(recorded);
        LogPaid(logger, order.Id, wasCancelled ? "paid after it was cancelled (Payments refunds)" : "confirmed");
        // Paid after the customer cancelled: Payments sees the cancellation and refunds; no confirmation.
        return wasCancelled ? null : new OrderConfirmedEvent(order.Id, order.CustomerId, recorded.RecordedAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} {Outcome}")]
    private static partial void LogPaid(ILogger logger, Guid orderId, string outcome);
}
