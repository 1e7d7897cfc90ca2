using Marten;
using Microsoft.Extensions.Logging;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;
using Modular.Sdk;
using Wolverine;
using Wolverine.Runtime.Handlers;

namespace Modular.Modules.Payments;

/// <summary>
/// Charges an order awaiting payment. At most once per order: the payment document's id is the order id and
/// the provider call is idempotent by the same key, so a repeated or concurrent request never charges twice.
/// The payment records who caused it: the caller of the request that placed the order, wherever that ran.
/// </summary>
public static partial class PaymentRequestedEventHandler
{
    public static void Configure(HandlerChain chain) => PaymentProviderFailures.Apply(chain);

    public static async Task<OutgoingMessages> Handle(PaymentRequestedEvent requested, IDocumentSession session,
        IPaymentProvider provider, TimeProvider clock, Caller caller, ILogger logger, CancellationToken ct)
    {
        var key = requested.OrderId.ToString();
        if (await session.LoadAsync<Payment>(requested.OrderId, ct) is { } existing)
        {
            // Cancelled before we recorded a charge: if a charge slipped through anyway, give it back.
            if (existing.Status == PaymentStatus.Voided && (await provider.RefundAsync(key, ct)).Refunded)
            {
                existing.Status = PaymentStatus.Refunded;
                existing.RefundedAt = clock.GetUtcNow();
                session.Update(existing);
            }

            return [];
        }

        var result = await provider.ChargeAsync(key, requested.CustomerId, requested.Amount, requested.Currency, ct);
        var now = clock.GetUtcNow();
        session.Insert(new Payment
        {
            Id = requested.OrderId,
            CustomerId = requested.CustomerId,
            Amount = requested.Amount,
            Currency = requested.Currency,
            Status = result.Captured ? PaymentStatus.Captured : PaymentStatus.Declined,
            Reference = result.Reference,
            DeclineReason = result.DeclineReason,
            RecordedAt = now,
            RequestedBy = caller.Subject,
            ClientId = caller.ClientId,
        });

        LogCharged(logger, requested.OrderId, result.Captured ? "captured" : "declined");
        return result.Captured
            ? [new PaymentCapturedEvent(requested.OrderId, result.Reference, requested.Amount, requested.Currency, now)]
            : [new PaymentDeclinedEvent(requested.OrderId, result.DeclineReason ?? "declined", now)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment for order {OrderId} {Outcome}")]
    private static partial void LogCharged(ILogger logger, Guid orderId, string outcome);
}
