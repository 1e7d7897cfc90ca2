using Marten;
using Modular.Modules.Ordering.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>
/// Internal command of earlier versions, which requested payment in a step of its own after placing the order.
/// Placing an order now requests payment in the same transaction; this stays so that a message an earlier version
/// queued (in the inbox, or in flight during an upgrade) still moves its order on. Nothing sends it any more.
/// </summary>
public sealed record RequestPayment(Guid OrderId);

/// <summary>Placed → AwaitingPayment for an order an earlier version placed: ask Payments for the order's total.</summary>
public static class RequestPaymentHandler
{
    public static async Task<PaymentRequestedEvent?> Handle(RequestPayment command, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Order>(command.OrderId, ct);
        if (stream.Aggregate is not { } order || order.RequestPayment(clock.GetUtcNow()) is not { } requested) return null;

        stream.AppendOne(requested);
        return new PaymentRequestedEvent(order.Id, order.CustomerId, order.Total, order.Currency, requested.RequestedAt);
    }
}
