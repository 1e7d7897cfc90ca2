using Alba;

namespace Modular.Tests.Integration.Shipping;

[CollectionDefinition(Name)]
public sealed class ShippingSuite : ICollectionFixture<ModularApp>
{
    public const string Name = "shipping";
}

/// <summary>Shipping's first use case over HTTP, against a real PostgreSQL, as every module's tests run.</summary>
[Collection(ShippingSuite.Name)]
public sealed class RegisterShipmentTests(ModularApp app) : IAsyncLifetime
{
    private const string Shipments = "/api/shipping/shipments";

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_registered_shipment_is_read_back_from_its_location()
    {
        var registered = await app.Host.Scenario(x =>
        {
            x.Post.Json(new { reference = " REF-7 " }).ToUrl(Shipments);
            x.StatusCodeShouldBe(201);
        });

        var read = await app.Host.Scenario(x => x.Get.Url(registered.Context.Response.Headers.Location.ToString()));

        Assert.Contains("\"reference\":\"REF-7\"", await read.ReadAsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_blank_reference_is_a_400_naming_the_field()
    {
        var problem = await app.ProblemAsync(x => x.Post.Json(new { reference = " " }).ToUrl(Shipments), 400);

        Assert.Contains("reference", problem.Errors!.Keys);
    }

    [Fact]
    public async Task an_unknown_shipment_is_a_404() =>
        await app.ProblemAsync(x => x.Get.Url($"{Shipments}/{Guid.NewGuid()}"), 404);
}
