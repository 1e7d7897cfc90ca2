namespace Modular.Modules.Ordering.Contracts;

/// <summary>The order awaits payment of <paramref name="Amount"/>. The order id is the payment's idempotency key.</summary>
public sealed record PaymentRequestedEvent(Guid OrderId, string CustomerId, decimal Amount, string Currency,
    DateTimeOffset RequestedAt);
