using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Modular.Platform.Distribution.Gateway;

/// <summary>
/// On the gateway's <c>/health/ready</c>: how many instances of each remote deployment answer. A deployment
/// with none is <em>Degraded</em>, not Unhealthy: the gateway still serves its own modules, so it stays ready
/// (an orchestrator must not take it out because another deployment is down).
/// </summary>
internal sealed class RemoteDeploymentsHealthCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var lines = new List<string>();
        var unreachable = false;
        // A deployment's gRPC cluster is the same processes on another port: its HTTP cluster speaks for them.
        foreach (var cluster in proxy.GetClusters().Where(c => !GatewayRoutes.IsGrpcCluster(c.ClusterId)).OrderBy(c => c.ClusterId, StringComparer.Ordinal))
        {
            var instances = cluster.DestinationsState.AllDestinations;
            var healthy = instances.Count(d => GatewayInstances.Health(d.Health) != GatewayInstances.Unhealthy);
            lines.Add($"{cluster.ClusterId}: {healthy} of {instances.Count} instances healthy");
            unreachable |= healthy == 0;
        }

        var description = string.Join("; ", lines);
        return Task.FromResult(unreachable ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description));
    }
}
