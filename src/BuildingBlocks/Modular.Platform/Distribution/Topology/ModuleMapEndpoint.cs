using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Security;

namespace Modular.Platform.Distribution.Topology;

/// <summary><c>GET /api/admin/modules</c>: every module, where it runs, its schema, what it sends and handles.</summary>
internal static class ModuleMapEndpoint
{
    public static void MapModuleMap(this IEndpointRouteBuilder app, IReadOnlyList<ModuleDefinition> available) =>
        app.MapGet("/api/admin/modules", (TopologyMap map, IReadOnlyList<MessageEdge> edges, IServiceProvider services) =>
                TypedResults.Ok(Describe(map, available, edges, services.GetService<IInstanceDirectory>())))
            .WithTags("Admin").WithName("GetModuleMap").WithSummary("Get the module map")
            .RequireAuthorization(PlatformPermissions.Admin);

    public static ModuleMapView Describe(TopologyMap map, IReadOnlyList<ModuleDefinition> available, IReadOnlyList<MessageEdge> edges,
        IInstanceDirectory? instances = null)
    {
        var crossing = TransportSwitch.Crossing(map, edges).ToHashSet();
        var modules = available.Select(m => new ModuleView(
                m.Name,
                map.DeploymentOf(m)?.Name ?? "(not deployed)",
                map.Current.Runs(m),
                m.Schema,
                m.RoutePrefix,
                edges.Where(e => e.Publisher == m).Select(e => e.MessageType.Name).Distinct().Order().ToList(),
                edges.Where(e => e.Subscriber == m).Select(e => e.MessageType.Name).Distinct().Order().ToList()))
            .ToList();
        var views = edges.Select(e => new EdgeView(e.MessageType.Name, e.Publisher.Name, e.Subscriber.Name, crossing.Contains(e))).ToList();
        var deployments = map.Deployments.Select(d => new DeploymentView(d.Name, d.Url.ToString(), d.Modules.Select(m => m.Name).ToList(),
            instances?.InstancesOf(d.Name))).ToList();
        return new ModuleMapView(map.Current.Name, map.Transport.ToString(), map.Gateway?.Name, deployments, modules, views);
    }
}
