using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Distribution.Operations;

/// <summary>What one deployment has not finished: its modules' backlog and its dead letters.</summary>
public sealed record DeploymentWork(IReadOnlyList<ModuleBacklog> Backlog, IReadOnlyList<DeadLetter> DeadLetters);

/// <summary>
/// One deployment as the operations page shows it. <see cref="Status"/>: <c>up</c>; <c>degraded</c> (it answers, but
/// its message store does not); <c>down</c> (no instance answers); <c>unknown</c> (only the gateway asks other
/// deployments, and one may refuse the caller's token). <see cref="Backlog"/> and <see cref="DeadLetters"/> are null when they could not be read, and
/// <see cref="Problem"/> says why.
/// </summary>
public sealed record DeploymentStatus(string Name, IReadOnlyList<string> Modules, string Status, IReadOnlyList<InstanceView>? Instances,
    IReadOnlyList<ModuleBacklog>? Backlog, IReadOnlyList<DeadLetter>? DeadLetters, string? Problem)
{
    public static DeploymentStatus Of(Deployment deployment, string status, IReadOnlyList<InstanceView>? instances, DeploymentWork? work,
        string? problem) =>
        new(deployment.Name, deployment.Modules.Select(m => m.Name).ToList(), status, instances, work?.Backlog, work?.DeadLetters, problem);
}

/// <summary>
/// The whole system as one process sees it: the module map and every deployment's state; <see cref="MetricsPath"/> is
/// where this process's Prometheus metrics are (beside the page, on the same listener), null when they are off.
/// </summary>
public sealed record OperationsView(string Deployment, string? Gateway, string Transport, IReadOnlyList<ModuleView> Modules,
    IReadOnlyList<EdgeView> Edges, IReadOnlyList<DeploymentStatus> Deployments, string? MetricsPath);
