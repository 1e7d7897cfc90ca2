using Marten;
using Modular.Modules.Ordering.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>Placed → AwaitingPayment: ask Payments for the order's total (the step where stock or fraud checks would go).</summary>
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
