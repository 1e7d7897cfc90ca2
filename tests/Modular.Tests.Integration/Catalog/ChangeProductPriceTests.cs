using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Tests.Integration.Catalog;

public sealed class ChangeProductPriceTests(ModularApp app) : CatalogTest(app)
{
    [Fact]
    public async Task changes_the_price_and_publishes_old_and_new_price()
    {
        var id = await AddAsync(AValidProduct(amount: 10m));

        var tracked = await App.TrackAsync(() => Host.Scenario(x =>
            x.Put.Json(new ChangeProductPrice(new Money(12.5m, "eur"))).ToUrl($"{Products}/{id}/price")));

        var changed = tracked.Executed.SingleMessage<ProductPriceChangedEvent>();
        Assert.Equal(new Money(10m, "EUR"), changed.OldPrice);
        Assert.Equal(new Money(12.5m, "EUR"), changed.NewPrice);
        Assert.Equal(new Money(12.5m, "EUR"), (await GetAsync(id)).Price);
    }

    [Fact]
    public async Task setting_the_same_price_again_publishes_nothing()
    {
        var id = await AddAsync(AValidProduct(amount: 10m));

        var tracked = await App.TrackAsync(() => Host.Scenario(x =>
            x.Put.Json(new ChangeProductPrice(new Money(10m, "EUR"))).ToUrl($"{Products}/{id}/price")));

        Assert.Empty(tracked.Sent.MessagesOf<ProductPriceChangedEvent>());
    }

    [Fact]
    public async Task rejects_an_invalid_price_and_keeps_the_old_one()
    {
        var id = await AddAsync(AValidProduct(amount: 10m));

        var problem = await ProblemAsync(x =>
            x.Put.Json(new ChangeProductPrice(new Money(-5m, "EUR"))).ToUrl($"{Products}/{id}/price"), 400);

        Assert.Contains("price.amount", problem.Errors!.Keys);
        Assert.Equal(10m, (await GetAsync(id)).Price.Amount);
    }

    [Fact]
    public async Task answers_404_for_an_unknown_product() =>
        await ProblemAsync(x =>
            x.Put.Json(new ChangeProductPrice(new Money(5m, "EUR"))).ToUrl($"{Products}/{Guid.NewGuid()}/price"), 404);

    [Fact]
    public async Task refuses_to_reprice_a_retired_product_with_409()
    {
        var id = await AddAsync(AValidProduct(amount: 10m));
        await Host.Scenario(x => x.Post.Url($"{Products}/{id}/retire"));

        await ProblemAsync(x => x.Put.Json(new ChangeProductPrice(new Money(5m, "EUR"))).ToUrl($"{Products}/{id}/price"), 409);

        Assert.Equal(10m, (await GetAsync(id)).Price.Amount);
    }
}
