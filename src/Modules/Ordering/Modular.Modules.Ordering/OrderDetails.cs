namespace Modular.Modules.Ordering;

/// <summary>What the HTTP API returns for one order.</summary>
public sealed record OrderDetails(
    Guid Id,
    string CustomerId,
    OrderStatus Status,
    IReadOnlyList<OrderLine> Lines,
    decimal Total,
    string Currency,
    DateTimeOffset PlacedAt,
    DateTimeOffset? PaymentRequestedAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? CancelledAt,
    string? CancellationReason,
    bool Refunded)
{
    public static OrderDetails From(Order o) => new(o.Id, o.CustomerId, o.Status, o.Lines, o.Total, o.Currency, o.PlacedAt,
        o.PaymentRequestedAt, o.ConfirmedAt, o.CancelledAt, o.CancellationReason, o.Refunded);
}
