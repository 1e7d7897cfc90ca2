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
        string currency = "EUR") => new(sku, name, "A fine widget", new Money(amount, currency));

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

    /// <summary>Sends a request expected to fail and returns its RFC 7807 body, checking status and media type.</summary>
    protected async Task<ProblemBody> ProblemAsync(Action<Scenario> request, int status)
    {
        var result = await Host.Scenario(x =>
        {
            request(x);
            x.StatusCodeShouldBe(status);
            x.ContentTypeShouldBe("application/problem+json");
        });
        var body = await result.ReadAsJsonAsync<ProblemBody>();
        Assert.NotNull(body);
        Assert.Equal(status, body.Status);
        Assert.False(string.IsNullOrWhiteSpace(body.Title));
        return body;
    }
}

/// <summary>The RFC 7807 fields the tests read (plus <c>errors</c> of validation problems).</summary>
public sealed record ProblemBody(string? Type, string? Title, int Status, string? Detail, Dictionary<string, string[]>? Errors);

