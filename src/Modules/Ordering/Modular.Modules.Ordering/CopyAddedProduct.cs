using Marten;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>A product Catalog added can be ordered: it enters Ordering's copy of the catalog (<see cref="CatalogProduct"/>).</summary>
public static class ProductAddedEventHandler
{
    public static Task Handle(ProductAddedEvent added, IDocumentSession session, CancellationToken ct) =>
        CatalogProduct.UpdateAsync(session, added.ProductId, p => p.Apply(added), ct);
}
