using Modular.Platform.Distribution.Topology;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Modular.Platform.Distribution.Gateway;

/// <summary>The instances YARP holds for each remote deployment (as ServiceDiscovery resolved them) and their health.</summary>
internal sealed class GatewayInstances(IProxyStateLookup proxy) : IInstanceDirectory
{
    public const string Unhealthy = "Unhealthy";

    public IReadOnlyList<InstanceView>? InstancesOf(string deployment) =>
        proxy.TryGetCluster(deployment, out var cluster)
            ? cluster.DestinationsState.AllDestinations.Select(d => new InstanceView(d.Model.Config.Address, Health(d.Health))).ToList()
            : null;

    /// <summary>Unhealthy when either check says so; the health check and the module map read it alike.</summary>
    public static string Health(DestinationHealthState health) =>
        health.Active == DestinationHealth.Unhealthy || health.Passive == DestinationHealth.Unhealthy ? Unhealthy
        : health.Active == DestinationHealth.Healthy ? "Healthy"
        : "Unknown";
}
