using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Modular.Platform.Composition.Observability;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// How one module of this process did over the last five minutes: messages handled per second, their p95 handling time
/// and the share of attempts that failed; requests per second, their p95 and the share answered 5xx. Null where nothing happened.
/// </summary>
public sealed record ModuleSpeed(string Module, double MessagesPerSecond, double? MessageP95Ms, double? MessageFailedShare,
    double RequestsPerSecond, double? RequestP95Ms, double? ServerErrorShare);

/// <summary>
/// Which module is slow, for the operations page: read from the meters the process already has, not measured again —
/// Wolverine's handling time and failures (tagged with the module by <see cref="ModuleHandlerTags"/>) and ASP.NET Core's
/// request duration (tagged by the telemetry middleware, so only when metrics are on). Kept per module in ten-second
/// buckets of a log-scale histogram (steps of 19 %), five minutes of them: bounded memory, a lock and a few increments
/// per measurement.
/// </summary>
public sealed class ModuleSpeeds : IDisposable
{
    private static readonly TimeSpan Span = TimeSpan.FromMinutes(5);
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, (Window Messages, Window Requests)> _modules = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly long _started;

    /// <param name="modules">Only these are measured: a gateway also sees (and tags) the requests it forwards to other modules.</param>
    public ModuleSpeeds(TimeProvider clock, Composition.Modules.ActiveModules modules)
    {
        (_clock, _started) = (clock, clock.GetTimestamp());
        var here = modules.All.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "wolverine-execution-time" or "wolverine-execution-failure" or "http.server.request.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (ModuleOf(tags) is not { } module || !here.Contains(module)) return;
            var windows = _modules.GetOrAdd(module, _ => (new Window(), new Window()));
            if (instrument.Name == "http.server.request.duration")
                windows.Requests.Record(value * 1000, failed: ServerError(tags), Now);
            else
                windows.Messages.Record(value, failed: false, Now);
        });
        _listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            if (ModuleOf(tags) is { } module && here.Contains(module)) _modules.GetOrAdd(module, _ => (new Window(), new Window())).Messages.Fail(Now);
        });
        _listener.Start();
    }

    private long Now => (long)_clock.GetElapsedTime(_started).TotalSeconds;

    public IReadOnlyList<ModuleSpeed> Snapshot()
    {
        var now = Now;
        var seconds = Math.Clamp(now, 1, Span.TotalSeconds);
        return _modules.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m =>
        {
            var messages = m.Value.Messages.Read(now);
            var requests = m.Value.Requests.Read(now);
            return new ModuleSpeed(m.Key, messages.Count / seconds, messages.P95, messages.FailedShare,
                requests.Count / seconds, requests.P95, requests.FailedShare);
        }).ToList();
    }

    private static string? ModuleOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == Telemetry.ModuleTag) return tag.Value as string;
        return null;
    }

    private static bool ServerError(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "http.response.status_code") return tag.Value is int status && status >= 500;
        return false;
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The summary of a window: how many, the p95 in milliseconds, the share that failed.</summary>
    private readonly record struct Reading(long Count, double? P95, double? FailedShare);

    /// <summary>Five minutes of ten-second buckets; each a histogram of durations, a count and how many failed.</summary>
    private sealed class Window
    {
        private const int Buckets = 30;
        private const int Bins = 100;
        private readonly long[] _slot = new long[Buckets];
        private readonly long[,] _bins = new long[Buckets, Bins];
        private readonly long[] _count = new long[Buckets];
        private readonly long[] _failed = new long[Buckets];
        private readonly Lock _lock = new();

        public void Record(double milliseconds, bool failed, long now)
        {
            var bin = milliseconds <= 0.1 ? 0 : Math.Min(Bins - 1, (int)Math.Ceiling(Math.Log2(milliseconds * 10) * 4));
            lock (_lock)
            {
                var b = Current(now);
                _bins[b, bin]++;
                _count[b]++;
                if (failed) _failed[b]++;
            }
        }

        public void Fail(long now)
        {
            lock (_lock) _failed[Current(now)]++;
        }

        public Reading Read(long now)
        {
            var bins = new long[Bins];
            long count = 0, failed = 0;
            lock (_lock)
            {
                for (var b = 0; b < Buckets; b++)
                {
                    if (now / 10 - _slot[b] >= Buckets) continue; // older than five minutes
                    count += _count[b];
                    failed += _failed[b];
                    for (var i = 0; i < Bins; i++) bins[i] += _bins[b, i];
                }
            }

            if (count == 0) return new Reading(0, null, failed > 0 ? 1 : null);
            var rank = (long)Math.Ceiling(count * 0.95);
            var bin = 0;
            for (long seen = 0; bin < Bins && (seen += bins[bin]) < rank; bin++) { }
            // The bin's upper edge: 0.1 ms · 2^(bin/4).
            return new Reading(count, Math.Round(0.1 * Math.Pow(2, bin / 4.0), 1), Math.Min(1, (double)failed / count));
        }

        private int Current(long now)
        {
            var slot = now / 10;
            var b = (int)(slot % Buckets);
            if (_slot[b] == slot) return b;
            _slot[b] = slot;
            _count[b] = _failed[b] = 0;
            for (var i = 0; i < Bins; i++) _bins[b, i] = 0;
            return b;
        }
    }
}
