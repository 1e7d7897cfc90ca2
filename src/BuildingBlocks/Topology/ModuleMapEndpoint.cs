using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Modular.BuildingBlocks.Modules;

namespace Modular.BuildingBlocks.Topology;

/// <summary>One module as the map shows it.</summary>
public sealed record ModuleView(string Name, string Deployment, bool HostedHere, string Schema, string RoutePrefix,
    IReadOnlyList<string> Publishes, IReadOnlyList<string> Handles);

/// <summary>One message edge: who publishes, who handles, and whether it crosses a process.</summary>
public sealed record EdgeView(string Message, string From, string To, bool OverTransport);

/// <summary>The map as one process sees it: <paramref name="Gateway"/> is the deployment clients call, if any.</summary>
public sealed record ModuleMapView(string Deployment, string Transport, string? Gateway, IReadOnlyList<ModuleView> Modules, IReadOnlyList<EdgeView> Edges);

/// <summary><c>GET /api/admin/modules</c>: every module, where it runs, its schema, what it sends and handles.</summary>
internal static class ModuleMapEndpoint
{
    public static void MapModuleMap(this IEndpointRouteBuilder app, IReadOnlyList<ModuleDefinition> available) =>
        app.MapGet("/api/admin/modules", (TopologyMap map, IReadOnlyList<MessageEdge> edges) => TypedResults.Ok(Describe(map, available, edges)))
            .WithTags("Admin").WithName("GetModuleMap").WithSummary("Get the module map");

    public static ModuleMapView Describe(TopologyMap map, IReadOnlyList<ModuleDefinition> available, IReadOnlyList<MessageEdge> edges)
    {
        var crossing = TransportSwitch.Crossing(map, edges).ToHashSet();
        var modules = available.Select(m => new ModuleView(
                m.Name,
                map.DeploymentOf(m)?.Name ?? "(not deployed)",
                map.Current.Hosts(m),
                m.Schema,
                m.RoutePrefix,
                edges.Where(e => e.Publisher == m).Select(e => e.MessageType.Name).Distinct().Order().ToList(),
                edges.Where(e => e.Subscriber == m).Select(e => e.MessageType.Name).Distinct().Order().ToList()))
            .ToList();
        var views = edges.Select(e => new EdgeView(e.MessageType.Name, e.Publisher.Name, e.Subscriber.Name, crossing.Contains(e))).ToList();
        return new ModuleMapView(map.Current.Name, map.Transport.ToString(), map.Gateway?.Name, modules, views);
    }
}
