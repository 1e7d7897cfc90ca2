namespace Modular.Modules.Payments;

public enum PaymentStatus
{
    Captured,
    Declined,
    Refunded,
    /// <summary>The order was cancelled before it was charged: it never will be.</summary>
    Voided,
}

/// <summary>The payment of one order; its id is the order id, so an order is charged at most once.</summary>
public sealed class Payment
{
    public Guid Id { get; set; }
    public string CustomerId { get; set; } = "";
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";
    public PaymentStatus Status { get; set; }
    public string? Reference { get; set; }
    public string? DeclineReason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }

    /// <summary>The subject of the request that caused the payment (the customer, or staff acting for them).</summary>
    public string? RequestedBy { get; set; }

    /// <summary>The OAuth client that request came through, when its token named one.</summary>
    public string? ClientId { get; set; }
}

/// <summary>What the HTTP API returns for one payment.</summary>
public sealed record PaymentDetails(Guid OrderId, PaymentStatus Status, decimal Amount, string Currency, string? Reference,
    string? DeclineReason, DateTimeOffset RecordedAt, DateTimeOffset? RefundedAt, string? RequestedBy, string? ClientId)
{
    public static PaymentDetails From(Payment p) =>
        new(p.Id, p.Status, p.Amount, p.Currency, p.Reference, p.DeclineReason, p.RecordedAt, p.RefundedAt, p.RequestedBy, p.ClientId);
}
