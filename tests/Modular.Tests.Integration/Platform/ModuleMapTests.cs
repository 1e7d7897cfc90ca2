using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Distribution.Topology;
using Wolverine.Runtime.Handlers;

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
        Assert.All(map.Modules, m => Assert.True(m.RunsHere));
        Assert.Contains(new EdgeView("PaymentRequestedEvent", "Ordering", "Payments", false), map.Edges);
        Assert.DoesNotContain(map.Edges, e => e.OverTransport);
        Assert.Equal(["ProductAddedEvent", "ProductPriceChangedEvent", "ProductRetiredEvent"],
            map.Modules.Single(m => m.Name == "Catalog").Publishes);
    }

    [Fact]
    public void the_map_finds_exactly_the_handlers_wolverine_runs_in_every_module()
    {
        var graph = app.Host.Services.GetRequiredService<HandlerGraph>();
        foreach (var module in Modular.Host.HostedModules.All)
        {
            var wolverine = graph.Chains.SelectMany(c => c.ByEndpoint.Prepend(c)).SelectMany(c => c.Handlers)
                .Where(h => h.HandlerType.Assembly == module.Assembly)
                .Select(h => $"{h.Method.MessageType()!.Name} by {h.HandlerType.Name}").Distinct().Order().ToList();
            var map = MessageEdges.HandledMessageTypes(module.Assembly).Select(h => $"{h.Message.Name} by {h.Handler.Name}").Order().ToList();

            Assert.Equal(wolverine, map);
        }
    }
}
