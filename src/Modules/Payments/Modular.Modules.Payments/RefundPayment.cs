using Marten;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;
using Wolverine.Runtime.Handlers;

namespace Modular.Modules.Payments;

/// <summary>
/// A cancelled order: refund it when it was captured; when it was not charged yet, void it so a late
/// payment request is never charged. Repeated cancellations change nothing.
/// </summary>
public static class OrderCancelledEventHandler
{
    public static void Configure(HandlerChain chain) => PaymentProviderFailures.Apply(chain);

    public static async Task<PaymentRefundedEvent?> Handle(OrderCancelledEvent cancelled, IDocumentSession session,
        IPaymentProvider provider, TimeProvider clock, CancellationToken ct)
    {
        var payment = await session.LoadAsync<Payment>(cancelled.OrderId, ct);
        if (payment is null)
        {
            session.Insert(new Payment
            {
                Id = cancelled.OrderId,
                CustomerId = cancelled.CustomerId,
                Status = PaymentStatus.Voided,
                RecordedAt = clock.GetUtcNow(),
            });
            return null;
        }

        if (payment.Status != PaymentStatus.Captured) return null;

        var refund = await provider.RefundAsync(cancelled.OrderId.ToString(), ct);
        payment.Status = PaymentStatus.Refunded;
        payment.RefundedAt = clock.GetUtcNow();
        session.Update(payment);
        return new PaymentRefundedEvent(payment.Id, refund.Reference ?? payment.Reference ?? "", payment.Amount, payment.Currency,
            payment.RefundedAt.Value);
    }
}
