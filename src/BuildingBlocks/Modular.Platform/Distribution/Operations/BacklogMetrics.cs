using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// <c>modular_messages_backlog</c>: per module and <c>state</c> (incoming, scheduled, outgoing, dead_letter, queued),
/// how many messages this deployment has not finished — the same figures as <c>/api/admin/messages</c>. Sampled in the
/// background every <c>Modular:Metrics:BacklogSeconds</c> (default 5), so a scrape never waits on the database: while
/// it is down the gauges go absent (nothing is reported rather than a stale figure) and <c>modular_backlog_up</c> is 0.
/// </summary>
internal sealed partial class BacklogMetrics : BackgroundService
{
    public const string MeterName = "Modular.Backlog";

    private readonly BacklogReader _reader;
    private readonly TimeSpan _interval;
    private readonly ILogger<BacklogMetrics> _logger;
    private readonly Meter _meter = new(MeterName);
    private volatile IReadOnlyList<ModuleBacklog>? _latest;

    public BacklogMetrics(BacklogReader reader, TopologyMap topology, IReadOnlyList<MessageEdge> edges, TimeSpan interval, ILogger<BacklogMetrics> logger)
    {
        (_reader, _interval, _logger) = (reader, interval, logger);
        var deployment = new KeyValuePair<string, object?>(Telemetry.DeploymentTag, topology.Current.Name);
        _meter.CreateObservableGauge("modular.messages.backlog", () => Measure(deployment), "{message}",
            "Messages not finished, by the module they are for and their state");
        // Every declared edge with a side here is reported from the start, 0 when nothing waits (what a module here sends
        // waits in this store's outbox): a series that appeared only once something waited would make its delta() wrong.
        var declared = edges.Where(e => topology.Current.Runs(e.Subscriber) || topology.Current.Runs(e.Publisher))
            .Select(e => (Module: e.Subscriber.Name, Message: e.MessageType.Name)).Distinct().ToList();
        _meter.CreateObservableGauge("modular.ledger.waiting", () => MeasureWaiting(deployment, declared), "{message}",
            "Messages stored here and not finished (received, scheduled, to be sent), by the module they are for and their type");
        _meter.CreateObservableGauge("modular.backlog.up", () => new Measurement<int>(_latest is null ? 0 : 1, deployment),
            description: "1 when the last backlog sample succeeded");
    }

    private IEnumerable<Measurement<long>> Measure(KeyValuePair<string, object?> deployment)
    {
        foreach (var module in _latest ?? [])
        {
            KeyValuePair<string, object?> tag = new(Telemetry.ModuleTag, module.Module);
            yield return new(module.Incoming, deployment, tag, new("state", "incoming"));
            yield return new(module.Scheduled, deployment, tag, new("state", "scheduled"));
            yield return new(module.Outgoing, deployment, tag, new("state", "outgoing"));
            yield return new(module.DeadLetters, deployment, tag, new("state", "dead_letter"));
            yield return new(module.Queued, deployment, tag, new("state", "queued"));
        }
    }

    private IEnumerable<Measurement<long>> MeasureWaiting(KeyValuePair<string, object?> deployment, IReadOnlyList<(string Module, string Message)> declared)
    {
        if (_latest is not { } latest) yield break;
        var waiting = latest.SelectMany(m => m.Waiting.Select(w => (Module: m.Module, Message: w.Key, Count: w.Value))).ToList();
        foreach (var (module, message, count) in waiting.Concat(declared.Except(waiting.Select(w => (w.Module, w.Message))).Select(d => (d.Module, d.Message, 0))))
            yield return new(count, deployment, new(Telemetry.ModuleTag, module), new(Telemetry.MessageTag, message));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            try
            {
                _latest = await _reader.ReadAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (_latest is not null) LogUnavailable(_logger, e);
                _latest = null;
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backlog metrics unavailable: the message store or the broker did not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }
}
