using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog;
using Modular.Platform.Composition.Modules;

namespace Modular.Tests.Integration.Platform;

[Collection(PlatformSuite.Name)]
public sealed class ModuleStoreIsolationTests(ModularApp app)
{
    [Fact]
    public void each_module_store_keeps_documents_and_events_in_its_own_schema()
    {
        var modules = app.Host.Services.GetRequiredService<ActiveModules>().All;
        Assert.NotEmpty(modules);

        foreach (var module in modules)
        {
            var store = (IDocumentStore)app.Host.Services.GetRequiredService(module.StoreType);
            Assert.Empty(ModuleStoreRules.Violations(module, store.Options));
        }

        Assert.Equal(modules.Count, modules.Select(m => m.Schema).Distinct().Count());
    }

    [Fact]
    public async Task module_tables_exist_only_in_the_module_schema()
    {
        var schemas = await app.Database.ScalarAsync<string>(
            "select string_agg(distinct table_schema, ',') from information_schema.tables where table_name = 'mt_doc_product'");

        Assert.Equal("catalog", schemas);
    }

    [Fact]
    public void the_store_rule_catches_a_store_outside_its_schema()
    {
        var misconfigured = new StoreOptions { DatabaseSchemaName = "public" };
        misconfigured.Schema.For<Product>();

        var violations = ModuleStoreRules.Violations(new CatalogModule(), misconfigured);

        Assert.Equal(3, violations.Count);
    }
}
