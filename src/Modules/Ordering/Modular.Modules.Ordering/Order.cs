namespace Modular.Modules.Ordering;

public enum OrderStatus
{
    Placed,
    AwaitingPayment,
    Confirmed,
    Cancelled,
}

/// <summary>One line as ordered: the price is the one in force when the order was placed.</summary>
public sealed record OrderLine(Guid ProductId, string Sku, string Name, int Quantity, decimal UnitPrice)
{
    public decimal LineTotal => UnitPrice * Quantity;
}

// Stream events of an order (past tense, no suffix: they never leave Ordering).
public sealed record OrderPlaced(Guid OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, string Currency,
    string RequestFingerprint, DateTimeOffset PlacedAt);
public sealed record PaymentRequested(DateTimeOffset RequestedAt);
public sealed record PaymentCaptured(string PaymentReference, DateTimeOffset CapturedAt, DateTimeOffset RecordedAt);
public sealed record PaymentDeclined(string Reason, DateTimeOffset DeclinedAt);
public sealed record OrderCancelled(string Reason, DateTimeOffset CancelledAt);
public sealed record PaymentRefunded(string PaymentReference, DateTimeOffset RefundedAt);

/// <summary>
/// An order: built from its events (Apply), and deciding which events a request produces (the other
/// methods). Pure: no I/O, no clock — the caller passes the time.
/// </summary>
public sealed class Order
{
    public const string CancelledByCustomer = "CancelledByCustomer";
    public const string PaymentWasDeclined = "PaymentDeclined";

    public Guid Id { get; set; }
    public string CustomerId { get; set; } = "";
    public List<OrderLine> Lines { get; set; } = [];
    public string Currency { get; set; } = "";
    public decimal Total { get; set; }
    public OrderStatus Status { get; set; }
    public string RequestFingerprint { get; set; } = "";
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset? PaymentRequestedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancellationReason { get; set; }
    public string? PaymentReference { get; set; }
    public bool PaymentCaptured { get; set; }
    public bool Refunded { get; set; }

    public static Order Create(OrderPlaced placed) => new()
    {
        Id = placed.OrderId,
        CustomerId = placed.CustomerId,
        Lines = placed.Lines.ToList(),
        Currency = placed.Currency,
        Total = placed.Lines.Sum(l => l.LineTotal),
        Status = OrderStatus.Placed,
        RequestFingerprint = placed.RequestFingerprint,
        PlacedAt = placed.PlacedAt,
    };

    public void Apply(PaymentRequested requested)
    {
        Status = OrderStatus.AwaitingPayment;
        PaymentRequestedAt = requested.RequestedAt;
    }

    public void Apply(PaymentCaptured captured)
    {
        PaymentCaptured = true;
        PaymentReference = captured.PaymentReference;
        if (Status == OrderStatus.Cancelled) return; // paid after cancelling: Payments refunds it
        Status = OrderStatus.Confirmed;
        ConfirmedAt = captured.RecordedAt;
    }

    public void Apply(PaymentDeclined declined) => MarkCancelled(PaymentWasDeclined, declined.DeclinedAt);

    public void Apply(OrderCancelled cancelled) => MarkCancelled(cancelled.Reason, cancelled.CancelledAt);

    public void Apply(PaymentRefunded _) => Refunded = true;

    private void MarkCancelled(string reason, DateTimeOffset at)
    {
        Status = OrderStatus.Cancelled;
        CancellationReason = reason;
        CancelledAt = at;
    }

    // Decisions: which event a request or a message leads to; null = nothing to do (already done).

    public PaymentRequested? RequestPayment(DateTimeOffset now) =>
        Status == OrderStatus.Placed ? new PaymentRequested(now) : null;

    public PaymentCaptured? RecordCapture(string paymentReference, DateTimeOffset capturedAt, DateTimeOffset now) =>
        PaymentCaptured ? null : new PaymentCaptured(paymentReference, capturedAt, now);

    public PaymentDeclined? RecordDecline(string reason, DateTimeOffset declinedAt) =>
        Status is OrderStatus.Placed or OrderStatus.AwaitingPayment ? new PaymentDeclined(reason, declinedAt) : null;

    public PaymentRefunded? RecordRefund(string paymentReference, DateTimeOffset refundedAt) =>
        Refunded ? null : new PaymentRefunded(paymentReference, refundedAt);

    public OrderCancelled? CancelByCustomer(DateTimeOffset now) =>
        CanBeCancelled ? new OrderCancelled(CancelledByCustomer, now) : null;

    public bool CanBeCancelled => Status != OrderStatus.Cancelled;
}
