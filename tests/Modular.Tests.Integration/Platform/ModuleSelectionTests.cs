using Alba;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog;
using Modular.Platform.Composition.Modules;
using Wolverine.Runtime.Handlers;

namespace Modular.Tests.Integration.Platform;

[Collection(WithoutModulesSuite.Name)]
public sealed class ModuleSelectionTests(HostWithoutModules app)
{
    [Fact]
    public async Task an_unlisted_module_has_no_routes()
    {
        var result = await app.Host.Scenario(x =>
        {
            x.Get.Url("/api/catalog/products");
            x.StatusCodeShouldBe(404);
            x.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Contains("\"status\":404", await result.ReadAsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unlisted_module_has_no_schema()
    {
        Assert.Equal(0, await app.Database.ScalarAsync<long>(
            "select count(*) from information_schema.schemata where schema_name = 'catalog'"));
    }

    [Fact]
    public void an_unlisted_module_has_no_store_and_no_handlers()
    {
        Assert.Null(app.Host.Services.GetService<ICatalogStore>());
        Assert.Empty(app.Host.Services.GetRequiredService<ActiveModules>().All);

        var handlers = app.Host.Services.GetRequiredService<HandlerGraph>().AllChains();
        Assert.DoesNotContain(handlers, chain => chain.Handlers.Any(h => h.HandlerType.Assembly == typeof(CatalogModule).Assembly));
    }

    [Fact]
    public async Task an_unlisted_module_is_absent_from_the_openapi_document()
    {
        var document = await (await app.Host.Scenario(x => x.Get.Url("/swagger/v1/swagger.json"))).ReadAsTextAsync();

        Assert.DoesNotContain("/api/catalog", document, StringComparison.Ordinal);
    }
}
