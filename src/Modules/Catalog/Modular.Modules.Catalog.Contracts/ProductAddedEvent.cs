namespace Modular.Modules.Catalog.Contracts;

/// <summary>A product can now be ordered at <paramref name="Price"/>.</summary>
public sealed record ProductAddedEvent(Guid ProductId, string Sku, string Name, Money Price, DateTimeOffset AddedAt);
