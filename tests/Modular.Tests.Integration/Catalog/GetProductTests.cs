namespace Modular.Tests.Integration.Catalog;

public sealed class GetProductTests(ModularApp app) : CatalogTest(app)
{
    [Fact]
    public async Task answers_404_for_an_unknown_id()
    {
        var problem = await ProblemAsync(x => x.Get.Url($"{Products}/{Guid.NewGuid()}"), 404);

        Assert.Equal("Product not found.", problem.Title);
    }

    [Fact]
    public async Task answers_404_for_an_id_that_is_not_a_guid() =>
        await ProblemAsync(x => x.Get.Url($"{Products}/not-a-guid"), 404);
}
