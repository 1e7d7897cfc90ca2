using Marten;
using Modular.Sdk;

namespace Modular.Modules.Catalog;

/// <summary>Catalog's private Marten store: schema <c>catalog</c>.</summary>
public interface ICatalogStore : IDocumentStore;

/// <summary>Products: what can be sold, under which SKU, at which price.</summary>
public sealed class CatalogModule : ModuleDefinition<ICatalogStore>
{
    public override string Name => "Catalog";

    public override IReadOnlyList<Permission> Permissions { get; } =
    [
        new(CatalogPermissions.Read, "Read products.", Roles.Customer, Roles.Staff),
        new(CatalogPermissions.Write, "Add products, change prices, retire products.", Roles.Staff),
    ];

    /// <summary>SKUs are stored upper-cased, so the index compares them ignoring case.</summary>
    public const string SkuIndex = "catalog_product_sku";

    public override IReadOnlyList<UniqueValue> UniqueValues { get; } =
        [new(SkuIndex, "SKU already in use.", "Another product has this SKU (SKUs are compared ignoring case); choose another.")];

    protected override void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<Product>()
            .UniqueIndex(Marten.Schema.UniqueIndexType.Computed, SkuIndex, p => p.Sku)
            .Index(p => p.Name)
            .UseOptimisticConcurrency(true);
    }
}
