namespace Modular.Modules.Catalog.Contracts;

/// <summary>The product's price is now <paramref name="NewPrice"/>; orders already placed keep theirs.</summary>
public sealed record ProductPriceChangedEvent(Guid ProductId, Money OldPrice, Money NewPrice, DateTimeOffset ChangedAt);
