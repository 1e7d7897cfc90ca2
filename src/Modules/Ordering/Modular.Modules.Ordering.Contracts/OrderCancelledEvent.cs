namespace Modular.Modules.Ordering.Contracts;

/// <summary>
/// The order is cancelled: by the customer, or because payment was declined. Whoever took money for it
/// gives it back.
/// </summary>
public sealed record OrderCancelledEvent(Guid OrderId, string CustomerId, string Reason, DateTimeOffset CancelledAt);
