using Alba;

namespace Modular.Tests.Integration.Platform;

/// <summary>A host told not to serve Swagger UI (<c>Modular:SwaggerUi=false</c>).</summary>
public sealed class HostWithoutSwaggerUi : ModularApp
{
    protected override Task<IReadOnlyDictionary<string, string>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["Modular:SwaggerUi"] = "false" });
}

[CollectionDefinition(Name)]
public sealed class NoSwaggerUiSuite : ICollectionFixture<HostWithoutSwaggerUi>
{
    public const string Name = "no-swagger-ui";
}

[Collection(NoSwaggerUiSuite.Name)]
public sealed class SwaggerUiSwitchTests(HostWithoutSwaggerUi app)
{
    [Fact]
    public async Task without_the_ui_the_document_is_still_served()
    {
        await app.Host.Scenario(x =>
        {
            x.Get.Url("/swagger/index.html");
            x.StatusCodeShouldBe(404);
        });
        await app.Host.Scenario(x => x.Get.Url("/swagger/v1/swagger.json"));
    }
}
