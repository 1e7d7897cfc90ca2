using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Tests.Integration.Catalog;

public sealed class RetireProductTests(ModularApp app) : CatalogTest(app)
{
    [Fact]
    public async Task retires_a_product_and_publishes_ProductRetiredEvent()
    {
        var id = await AddAsync(AValidProduct());

        var tracked = await App.TrackAsync(() => Host.Scenario(x => x.Post.Url($"{Products}/{id}/retire")));

        Assert.Equal(id, tracked.Executed.SingleMessage<ProductRetiredEvent>().ProductId);
        var product = await GetAsync(id);
        Assert.Equal(ProductStatus.Retired, product.Status);
        Assert.NotNull(product.RetiredAt);
    }

    [Fact]
    public async Task retiring_twice_is_a_409_and_publishes_nothing_the_second_time()
    {
        var id = await AddAsync(AValidProduct());
        await Host.Scenario(x => x.Post.Url($"{Products}/{id}/retire"));
        var retiredAt = (await GetAsync(id)).RetiredAt;

        var tracked = await App.TrackAsync(() => ProblemAsync(x => x.Post.Url($"{Products}/{id}/retire"), 409));

        Assert.Empty(tracked.Sent.MessagesOf<ProductRetiredEvent>());
        Assert.Equal(retiredAt, (await GetAsync(id)).RetiredAt);
    }

    [Fact]
    public async Task answers_404_for_an_unknown_product() =>
        await ProblemAsync(x => x.Post.Url($"{Products}/{Guid.NewGuid()}/retire"), 404);
}
