namespace Modular.Modules.Payments.Contracts;

/// <summary>The order's amount was captured.</summary>
public sealed record PaymentCapturedEvent(Guid OrderId, string PaymentReference, decimal Amount, string Currency,
    DateTimeOffset CapturedAt);
