using Alba;
namespace Modular.Tests.Integration.Platform;

[Collection(PlatformSuite.Name)]
public sealed class ErrorResponseTests(ModularApp app)
{
    [Theory]
    [InlineData("/api/nowhere")]
    [InlineData("/api/catalog/no-such-resource")]
    public async Task an_unknown_route_is_a_404_problem(string url)
    {
        var body = await (await app.Host.Scenario(x =>
        {
            x.Get.Url(url);
            x.StatusCodeShouldBe(404);
            x.ContentTypeShouldBe("application/problem+json");
        })).ReadAsTextAsync();

        Assert.Contains("\"status\":404", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_wrong_method_is_a_405_problem() =>
        await app.Host.Scenario(x =>
        {
            x.Delete.Url("/api/catalog/products");
            x.StatusCodeShouldBe(405);
            x.ContentTypeShouldBe("application/problem+json");
        });
}
