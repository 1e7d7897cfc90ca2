using Marten;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>
/// Ordering's own copy of what it needs from the catalog, fed by Catalog's integration events — Ordering
/// never reads Catalog's schema. Events may arrive late, twice or out of order (each handler has its own
/// queue), so every change is idempotent and a price only replaces an older one.
/// </summary>
public sealed class CatalogProduct
{
    public Guid Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal Price { get; set; }
    public string Currency { get; set; } = "";
    public DateTimeOffset PriceAsOf { get; set; } = DateTimeOffset.MinValue;
    public bool Listed { get; set; }
    public bool Retired { get; set; }

    public void Apply(ProductAddedEvent added)
    {
        Listed = true;
        Sku = added.Sku;
        Name = added.Name;
        SetPrice(added.Price, added.AddedAt);
    }

    public void Apply(ProductPriceChangedEvent changed) => SetPrice(changed.NewPrice, changed.ChangedAt);

    public void Apply(ProductRetiredEvent _) => Retired = true;

    private void SetPrice(Money price, DateTimeOffset asOf)
    {
        if (asOf <= PriceAsOf) return;
        Price = price.Amount;
        Currency = price.Currency;
        PriceAsOf = asOf;
    }

    /// <summary>Load, change, save: insert when new (a concurrent insert fails and is retried), else a version-checked update.</summary>
    internal static async Task UpdateAsync(IDocumentSession session, Guid productId, Action<CatalogProduct> change,
        CancellationToken ct)
    {
        var product = await session.LoadAsync<CatalogProduct>(productId, ct);
        if (product is null)
        {
            product = new CatalogProduct { Id = productId };
            change(product);
            session.Insert(product);
        }
        else
        {
            change(product);
            session.Update(product);
        }
    }
}
