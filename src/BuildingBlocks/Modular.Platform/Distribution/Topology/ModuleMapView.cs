namespace Modular.Platform.Distribution.Topology;

/// <summary>One module as the map shows it.</summary>
public sealed record ModuleView(string Name, string Deployment, bool RunsHere, string Schema, string RoutePrefix,
    IReadOnlyList<string> Publishes, IReadOnlyList<string> Handles);

/// <summary>One message edge: who publishes, who handles, and whether it crosses a process.</summary>
public sealed record EdgeView(string Message, string From, string To, bool OverTransport);

/// <summary>One instance of a deployment as the gateway sees it: its address and what its health checks say.</summary>
public sealed record InstanceView(string Address, string Health);

/// <summary>
/// One deployment: its service-discovery address, its modules and, on the gateway, the instances that address
/// resolved to (null elsewhere: only the gateway resolves other deployments).
/// </summary>
public sealed record DeploymentView(string Name, string Url, IReadOnlyList<string> Modules, IReadOnlyList<InstanceView>? Instances);

/// <summary>The map as one process sees it: <paramref name="Gateway"/> is the deployment clients call, if any.</summary>
public sealed record ModuleMapView(string Deployment, string Transport, string? Gateway, IReadOnlyList<DeploymentView> Deployments,
    IReadOnlyList<ModuleView> Modules, IReadOnlyList<EdgeView> Edges)
{
    /// <summary>The map of <paramref name="map"/> for the endpoint, the <c>modules</c> command and the operations page.</summary>
    public static ModuleMapView Of(TopologyMap map, IReadOnlyList<ModuleDefinition> available, IReadOnlyList<MessageEdge> edges,
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
        return new(map.Current.Name, map.Transport.ToString(), map.Gateway?.Name, deployments, modules, views);
    }
}
