using Marten;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>A product Catalog retired can no longer be ordered (<see cref="CatalogProduct"/>).</summary>
public static class ProductRetiredEventHandler
{
    public static Task Handle(ProductRetiredEvent retired, IDocumentSession session, CancellationToken ct) =>
        CatalogProduct.UpdateAsync(session, retired.ProductId, p => p.Apply(retired), ct);
}
