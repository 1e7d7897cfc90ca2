namespace Modular.Modules.Payments.Contracts;

/// <summary>The payment provider refused the charge; nothing was taken.</summary>
public sealed record PaymentDeclinedEvent(Guid OrderId, string Reason, DateTimeOffset DeclinedAt);
