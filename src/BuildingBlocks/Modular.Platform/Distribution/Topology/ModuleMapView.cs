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
    IReadOnlyList<ModuleView> Modules, IReadOnlyList<EdgeView> Edges);
