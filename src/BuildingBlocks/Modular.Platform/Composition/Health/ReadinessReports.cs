using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Modular.Platform.Composition.Health;

/// <summary>
/// The readiness report, computed at most once per <see cref="Fresh"/>: probes that arrive together, or within the
/// second, share one run of the checks, so a probe flood (anonymous, from anywhere) costs one database query per
/// second instead of one per probe, competing with the outbox for connections.
/// </summary>
internal sealed class ReadinessReports(HealthCheckService checks, TimeProvider clock)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private sealed record Run(long StartedAt, Lazy<Task<HealthReport>> Report);

    private Run? _last;

    public Task<HealthReport> GetAsync()
    {
        var last = Volatile.Read(ref _last);
        var now = clock.GetTimestamp();
        if (last is not null && clock.GetElapsedTime(last.StartedAt, now) < Fresh) return last.Report.Value;
        // Not the probe's cancellation: the run is shared, each probe waits for it with its own.
        var run = new Run(now, new Lazy<Task<HealthReport>>(() =>
            checks.CheckHealthAsync(check => check.Tags.Contains(HealthEndpoints.ReadyTag), CancellationToken.None)));
        // One of the probes that found the report stale starts the next run; the others share it.
        var winner = Interlocked.CompareExchange(ref _last, run, last) == last ? run : Volatile.Read(ref _last)!;
        return winner.Report.Value;
    }
}
