namespace Modular.Modules.Ordering.Contracts;

/// <summary>An order was accepted at these prices; payment is requested next.</summary>
public sealed record OrderPlacedEvent(Guid OrderId, string CustomerId, decimal Total, string Currency, int LineCount,
    DateTimeOffset PlacedAt);
