using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Tests.Support;

namespace Modular.Tests.Integration.Platform;

/// <summary>Catalog's store on a database of its own (<c>ConnectionStrings:Catalog</c>), the rest on the shared one.</summary>
public sealed class HostWithCatalogDatabase : ModularApp
{
    public TestDatabase CatalogDatabase { get; private set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string>> SettingsAsync()
    {
        CatalogDatabase = await TestDatabase.CreateAsync("catalogdb");
        return new Dictionary<string, string> { ["ConnectionStrings:Catalog"] = CatalogDatabase.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (CatalogDatabase is not null) await CatalogDatabase.DisposeAsync();
    }
}

public sealed class ModuleDatabaseTests(HostWithCatalogDatabase app) : IClassFixture<HostWithCatalogDatabase>
{
    [Fact]
    public async Task a_module_connection_string_moves_its_schema_and_data_to_that_database()
    {
        var tracked = await app.TrackAsync(() => app.Host.Scenario(x =>
        {
            x.Post.Json(new AddProduct("OWN-1", "Own database", new Money(5m, "EUR"))).ToUrl("/api/catalog/products");
            x.StatusCodeShouldBe(201);
        }));

        // The event still leaves through the outbox and reaches Ordering's read model in the shared database.
        Assert.Equal("OWN-1", tracked.Executed.SingleMessage<ProductAddedEvent>().Sku);
        Assert.Equal(1, await app.Database.ScalarAsync<long>("select count(*) from ordering.mt_doc_catalogproduct"));

        Assert.Equal(1, await app.CatalogDatabase.ScalarAsync<long>("select count(*) from catalog.mt_doc_product"));
        Assert.Equal(0, await app.Database.ScalarAsync<long>(
            "select count(*) from information_schema.schemata where schema_name = 'catalog'"));
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            "select count(*) from information_schema.schemata where schema_name = 'ordering'"));
    }
}
