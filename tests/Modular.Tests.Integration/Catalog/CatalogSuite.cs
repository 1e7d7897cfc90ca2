using Alba;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Tests.Integration.Catalog;

[CollectionDefinition(Name)]
public sealed class CatalogSuite : ICollectionFixture<ModularApp>
{
    public const string Name = "catalog";
}

/// <summary>Base of Catalog's use-case tests: a clean database before each test, helpers to drive the API.</summary>
[Collection(CatalogSuite.Name)]
public abstract class CatalogTest(ModularApp app) : IAsyncLifetime
{
    protected const string Products = "/api/catalog/products";

    protected ModularApp App { get; } = app;
    protected IAlbaHost Host => App.Host;

    public Task InitializeAsync() => App.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    protected static AddProduct AValidProduct(string sku = "WID-1", string name = "Widget", decimal amount = 19.99m,
        string currency = "EUR") => new(sku, name, new Money(amount, currency), "A fine widget");

    protected async Task<Guid> AddAsync(AddProduct product)
    {
        var result = await Host.Scenario(x =>
        {
            x.Post.Json(product).ToUrl(Products);
            x.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<ProductAdded>())!.Id;
    }

    protected async Task<ProductDetails> GetAsync(Guid id) =>
        (await (await Host.Scenario(x => x.Get.Url($"{Products}/{id}"))).ReadAsJsonAsync<ProductDetails>())!;

    protected Task<long> CountProductsAsync() => App.Database.ScalarAsync<long>("select count(*) from catalog.mt_doc_product");

    protected Task<ProblemBody> ProblemAsync(Action<Scenario> request, int status) => App.ProblemAsync(request, status);
}
