using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// What one deployment has not finished (its modules' backlog, its dead letters), what its processes counted on each
/// message edge (the answering process's ledger: the message ledger is per process) and how fast its modules are.
/// </summary>
public sealed record DeploymentWork(IReadOnlyList<ModuleBacklog> Backlog, IReadOnlyList<DeadLetter> DeadLetters,
    IReadOnlyList<EdgeCounts>? Ledger = null, IReadOnlyList<ModuleSpeed>? Speeds = null);

/// <summary>One process's message ledger and module speeds; a deployment's are the sums over its instances.</summary>
public sealed record ProcessCounts(IReadOnlyList<EdgeCounts> Ledger, IReadOnlyList<ModuleSpeed> Speeds)
{
    public static IReadOnlyList<EdgeCounts> AddLedgers(IEnumerable<ProcessCounts> processes) =>
        processes.SelectMany(p => p.Ledger).GroupBy(e => (e.Sender, e.Message, e.Module))
            .Select(g => new EdgeCounts(g.Key.Sender, g.Key.Message, g.Key.Module, g.Sum(e => e.Sent), g.Sum(e => e.Handled),
                g.Sum(e => e.DeadLettered), g.All(e => e.Declared)))
            .ToList();

    /// <summary>Rates add up; a p95 is the worst instance's; a share is weighted by each instance's rate.</summary>
    public static IReadOnlyList<ModuleSpeed> AddSpeeds(IEnumerable<ProcessCounts> processes) =>
        processes.SelectMany(p => p.Speeds).GroupBy(s => s.Module)
            .Select(g => new ModuleSpeed(g.Key, g.Sum(s => s.MessagesPerSecond), g.Max(s => s.MessageP95Ms),
                Weighted(g, s => s.MessagesPerSecond, s => s.MessageFailedShare), g.Sum(s => s.RequestsPerSecond), g.Max(s => s.RequestP95Ms),
                Weighted(g, s => s.RequestsPerSecond, s => s.ServerErrorShare)))
            .ToList();

    private static double? Weighted(IEnumerable<ModuleSpeed> speeds, Func<ModuleSpeed, double> rate, Func<ModuleSpeed, double?> share)
    {
        var known = speeds.Where(s => share(s) is not null).ToList();
        if (known.Count == 0) return null;
        var total = known.Sum(rate);
        return total > 0 ? known.Sum(s => rate(s) * share(s)!.Value) / total : known.Max(share);
    }
}

/// <summary>
/// One deployment as the operations page shows it. <see cref="Status"/>: <c>up</c>; <c>degraded</c> (it answers, but
/// its message store does not); <c>down</c> (no instance answers); <c>unknown</c> (only the gateway asks other
/// deployments, and one may refuse the caller's token). <see cref="Backlog"/> and <see cref="DeadLetters"/> are null when they could not be read, and
/// <see cref="Problem"/> says why.
/// </summary>
public sealed record DeploymentStatus(string Name, IReadOnlyList<string> Modules, string Status, IReadOnlyList<InstanceView>? Instances,
    IReadOnlyList<ModuleBacklog>? Backlog, IReadOnlyList<DeadLetter>? DeadLetters, IReadOnlyList<EdgeCounts>? Ledger,
    IReadOnlyList<ModuleSpeed>? Speeds, string? Problem)
{
    public static DeploymentStatus Of(Deployment deployment, string status, IReadOnlyList<InstanceView>? instances, DeploymentWork? work,
        string? problem) =>
        new(deployment.Name, deployment.Modules.Select(m => m.Name).ToList(), status, instances, work?.Backlog, work?.DeadLetters,
            work?.Ledger, work?.Speeds, problem);
}

/// <summary>
/// The whole system as one process sees it: the module map and every deployment's state; <see cref="MetricsPath"/> is
/// where this process's Prometheus metrics are (beside the page, on the same listener), null when they are off.
/// </summary>
public sealed record OperationsView(string Deployment, string? Gateway, string Transport, IReadOnlyList<ModuleView> Modules,
    IReadOnlyList<EdgeView> Edges, IReadOnlyList<DeploymentStatus> Deployments, string? MetricsPath);
