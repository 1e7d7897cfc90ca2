namespace Modular.Modules.Ordering.Contracts;

/// <summary>The order is paid and confirmed.</summary>
public sealed record OrderConfirmedEvent(Guid OrderId, string CustomerId, DateTimeOffset ConfirmedAt);
