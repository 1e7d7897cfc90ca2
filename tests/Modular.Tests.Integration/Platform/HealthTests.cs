namespace Modular.Tests.Integration.Platform;

[Collection(PlatformSuite.Name)]
public sealed class HealthTests(ModularApp app)
{
    [Fact]
    public async Task live_answers_200_without_touching_dependencies() =>
        await app.Host.Scenario(x => x.Get.Url("/health/live"));

    [Fact]
    public async Task ready_answers_200_and_reports_postgresql()
    {
        var body = await (await app.Host.Scenario(x => x.Get.Url("/health/ready"))).ReadAsTextAsync();

        Assert.Contains("\"postgres\":{\"status\":\"Healthy\"", body, StringComparison.Ordinal);
    }
}
