using Marten;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>A new price reaches Ordering's copy of the catalog, unless a later one already did (<see cref="CatalogProduct"/>).</summary>
public static class ProductPriceChangedEventHandler
{
    public static Task Handle(ProductPriceChangedEvent changed, IDocumentSession session, CancellationToken ct) =>
        CatalogProduct.UpdateAsync(session, changed.ProductId, p => p.Apply(changed), ct);
}
