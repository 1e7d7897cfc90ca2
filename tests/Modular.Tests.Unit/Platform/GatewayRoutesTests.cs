using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution;
using Modular.Platform.Distribution.Gateway;
using Modular.Platform.Distribution.Topology;

namespace Modular.Tests.Unit.Platform;

public sealed class GatewayRoutesTests
{
    private static readonly ModuleDefinition[] Available = [new FakeModule("Catalog"), new FakeModule("Ordering"), new FakeModule("Payments")];

    [Fact]
    public void the_gateway_forwards_each_remote_modules_routes_and_document_to_its_deployment()
    {
        var map = Map("core");

        var routes = GatewayRoutes.Routes(map);

        Assert.Equal(
            ["module-Ordering: /api/ordering/{**rest} -> ordering", "openapi-ordering: /openapi/ordering.json -> ordering"],
            routes.Select(r => $"{r.RouteId}: {r.Match.Path} -> {r.ClusterId}"));
        Assert.Equal("/swagger/v1/swagger.json", routes[1].Transforms![0]["PathSet"]);
    }

    [Fact]
    public void each_remote_deployment_is_an_http_and_a_grpc_cluster_whose_addresses_service_discovery_expands_and_whose_instances_are_probed()
    {
        var clusters = GatewayRoutes.Clusters(Map("core"), new GatewayOptions { HealthCheckInterval = TimeSpan.FromSeconds(2) });

        Assert.Equal(["ordering", "ordering-grpc"], clusters.Select(c => c.ClusterId));
        Assert.Equal("http://ordering:8080/", Assert.Single(clusters[0].Destinations!).Value.Address);
        Assert.Equal("http://_grpc.ordering:8081/", Assert.Single(clusters[1].Destinations!).Value.Address); // Services:ordering:grpc
        Assert.Equal((System.Net.HttpVersion.Version20, System.Net.Http.HttpVersionPolicy.RequestVersionExact),
            (clusters[1].HttpRequest!.Version, clusters[1].HttpRequest!.VersionPolicy)); // HTTP/2 without TLS
        Assert.Null(clusters[0].HttpRequest!.Version);
        foreach (var cluster in clusters)
        {
            Assert.Equal("/health/ready", cluster.HealthCheck!.Active!.Path);
            Assert.Equal(TimeSpan.FromSeconds(2), cluster.HealthCheck.Active.Interval);
            Assert.True(cluster.HealthCheck.Passive!.Enabled);
            Assert.Equal(TimeSpan.FromSeconds(30), cluster.HttpRequest!.ActivityTimeout);
        }
    }

    [Fact]
    public void a_deployment_that_is_not_the_gateway_forwards_nothing() =>
        Assert.Empty(GatewayRoutes.Routes(Map("ordering")));

    private static TopologyMap Map(string current) => TopologyMap.Read(Available, new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?>
        {
            ["Modular:Topology:Transport"] = "RabbitMQ",
            ["Modular:Topology:Gateway"] = "core",
            ["Modular:Deployment"] = current,
            ["Modular:Topology:Deployments:core:Modules"] = "Catalog,Payments",
            ["Modular:Topology:Deployments:ordering:Modules"] = "Ordering",
        }).Build());
}
