namespace Modular.Modules.Payments.Contracts;

/// <summary>A captured payment was given back.</summary>
public sealed record PaymentRefundedEvent(Guid OrderId, string PaymentReference, decimal Amount, string Currency,
    DateTimeOffset RefundedAt);
