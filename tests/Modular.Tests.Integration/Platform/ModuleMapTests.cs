using Alba;
using Modular.BuildingBlocks.Topology;

namespace Modular.Tests.Integration.Platform;

[Collection(PlatformSuite.Name)]
public sealed class ModuleMapTests(ModularApp app)
{
    [Fact]
    public async Task the_monolith_map_shows_every_module_here_and_every_edge_in_process()
    {
        var map = (await (await app.Host.Scenario(x => x.Get.Url("/api/admin/modules"))).ReadAsJsonAsync<ModuleMapView>())!;

        Assert.Equal("monolith", map.Deployment);
        Assert.Equal(["catalog", "ordering", "payments"], map.Modules.Select(m => m.Schema));
        Assert.All(map.Modules, m => Assert.True(m.HostedHere));
        Assert.Contains(new EdgeView("PaymentRequestedEvent", "Ordering", "Payments", false), map.Edges);
        Assert.DoesNotContain(map.Edges, e => e.OverTransport);
        Assert.Equal(["ProductAddedEvent", "ProductPriceChangedEvent", "ProductRetiredEvent"],
            map.Modules.Single(m => m.Name == "Catalog").Publishes);
    }
}
