using Modular.Platform.Composition.GrpcApi;
using Modular.Platform.Composition.OpenApi;
using Modular.Platform.Distribution.Topology;
using Yarp.ReverseProxy.Configuration;

namespace Modular.Platform.Distribution.Gateway;

/// <summary>
/// The YARP routes and clusters a gateway deployment needs, derived from the topology map alone:
/// <c>/api/&lt;module&gt;/…</c> of every module hosted elsewhere goes to the cluster of its deployment, and
/// <c>/openapi/&lt;deployment&gt;.json</c> to that deployment's OpenAPI document. A cluster has one destination,
/// the deployment's service-discovery address, which the resolver expands into its instances.
/// </summary>
public static class GatewayRoutes
{
    public const string ModuleRoutePrefix = "module-";
    public const string DocumentRoutePrefix = "openapi-";
    public const string GrpcRoutePrefix = "grpc-";
    public const string ReadinessPath = "/health/ready";

    public static string DocumentPath(Deployment deployment) => $"/openapi/{deployment.Name.ToLowerInvariant()}.json";

    /// <summary>The deployments whose routes the gateway forwards: every one but itself that hosts a module.</summary>
    public static IReadOnlyList<Deployment> Remote(TopologyMap map) =>
        map.IsGateway ? map.Deployments.Where(d => d != map.Current && d.Modules.Count > 0).ToList() : [];

    /// <summary>Each remote deployment's OpenAPI document, as the gateway's Swagger UI lists it (fetched through the gateway).</summary>
    public static IEnumerable<(string Path, string Label)> RemoteDocuments(TopologyMap map, string title) =>
        Remote(map).Select(remote => (DocumentPath(remote), $"{title}: {remote.Name} ({string.Join(", ", remote.Modules.Select(m => m.Name))})"));

    public static IReadOnlyList<RouteConfig> Routes(TopologyMap map)
    {
        var routes = new List<RouteConfig>();
        foreach (var deployment in Remote(map))
        {
            routes.AddRange(deployment.Modules.Select(module => new RouteConfig
            {
                RouteId = ModuleRoutePrefix + module.Name,
                ClusterId = deployment.Name,
                Match = new RouteMatch { Path = module.RoutePrefix + "/{**rest}" },
                // Tokens are checked at the edge (401 before forwarding) and again by the deployment behind it.
                AuthorizationPolicy = "default",
            }));
            // gRPC: /<package>.<Service>/<Method> of the module's services, to the deployment's gRPC listener (HTTP/2).
            routes.AddRange(deployment.Modules.SelectMany(module => ModularGrpc.ServiceNames(module).Select(service => new RouteConfig
            {
                RouteId = GrpcRoutePrefix + service,
                ClusterId = GrpcCluster(deployment),
                Match = new RouteMatch { Path = $"/{service}/{{method}}", Methods = ["POST"] },
                AuthorizationPolicy = "default",
            })));
            routes.Add(new RouteConfig
            {
                RouteId = DocumentRoutePrefix + deployment.Name,
                ClusterId = deployment.Name,
                Match = new RouteMatch { Path = DocumentPath(deployment), Methods = ["GET"] },
                Transforms = [new Dictionary<string, string> { ["PathSet"] = OpenApiSetup.DocumentPath }],
                AuthorizationPolicy = "anonymous", // documents are public, as the deployment's own is
            });
        }

        return routes;
    }

    /// <summary>The cluster of a deployment's gRPC listener: its own instances, HTTP/2 without TLS (prior knowledge).</summary>
    public static string GrpcCluster(Deployment deployment) => deployment.Name + GrpcClusterSuffix;

    public static bool IsGrpcCluster(string clusterId) => clusterId.EndsWith(GrpcClusterSuffix, StringComparison.Ordinal);

    public const string GrpcClusterSuffix = "-grpc";

    public static IReadOnlyList<ClusterConfig> Clusters(TopologyMap map, GatewayOptions settings) =>
        Remote(map).SelectMany(deployment => new[]
        {
            Cluster(deployment.Name, deployment.Url, settings, null, null), // YARP's default: HTTP/1.1 without TLS
            Cluster(GrpcCluster(deployment), deployment.GrpcUrl, settings, System.Net.HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact),
        }).ToList();

    private static ClusterConfig Cluster(string id, Uri address, GatewayOptions settings, Version? version, HttpVersionPolicy? policy) =>
        new()
        {
            ClusterId = id,
            LoadBalancingPolicy = "PowerOfTwoChoices",
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [id] = new() { Address = address.ToString() },
            },
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = settings.HealthCheckInterval,
                    Timeout = settings.ConnectTimeout,
                    Policy = "ConsecutiveFailures",
                    Path = ReadinessPath,
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = "TransportFailureRate",
                    ReactivationPeriod = settings.ReactivationPeriod,
                },
                AvailableDestinationsPolicy = "HealthyOrPanic",
            },
            HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig
            {
                ActivityTimeout = settings.Timeout, Version = version, VersionPolicy = policy,
            },
        };
}
