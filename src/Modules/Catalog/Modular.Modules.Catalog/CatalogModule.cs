using Marten;
using Modular.BuildingBlocks.Modules;

namespace Modular.Modules.Catalog;

/// <summary>Catalog's private Marten store: schema <c>catalog</c>.</summary>
public interface ICatalogStore : IDocumentStore;

/// <summary>Products: what can be sold, under which SKU, at which price.</summary>
public sealed class CatalogModule : ModuleDefinition<ICatalogStore>
{
    public override string Name => "Catalog";

    protected override void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<Product>()
            .UniqueIndex(Marten.Schema.UniqueIndexType.Computed, "catalog_product_sku", p => p.Sku)
            .Index(p => p.Name)
            .UseOptimisticConcurrency(true);
    }
}
