using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Modular.Platform.Composition.Observability;
using Yarp.ReverseProxy.Forwarder;

namespace Modular.Platform.Distribution.Gateway;

/// <summary>
/// What the gateway does to the requests it forwards, per remote deployment (<c>modular_remote</c>):
/// <c>modular_gateway_forwarded_total</c> (with <c>outcome</c> = forwarded, or the failure: no_instance, timeout, …),
/// <c>modular_gateway_forward_duration_seconds</c> (the remote deployment's share: sending, its answer, copying it back)
/// and <c>modular_gateway_added_duration_seconds</c> (everything else the gateway spent on the request: authentication,
/// rate limits, routing, choosing an instance).
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Modular.Gateway";
    private static readonly object Started = new();

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _forwarded;
    private readonly Histogram<double> _forwardDuration;
    private readonly Histogram<double> _addedDuration;
    private readonly KeyValuePair<string, object?> _deployment;

    public GatewayMetrics(string deployment)
    {
        _deployment = new(Telemetry.DeploymentTag, deployment);
        _forwarded = _meter.CreateCounter<long>("modular.gateway.forwarded", "{request}", "Requests forwarded to another deployment");
        _forwardDuration = _meter.CreateHistogram<double>("modular.gateway.forward.duration", "s",
            "Time from forwarding a request to the end of the remote deployment's answer");
        _addedDuration = _meter.CreateHistogram<double>("modular.gateway.added.duration", "s",
            "Time the gateway itself adds to a forwarded request");
    }

    /// <summary>Notes when the request reached the gateway (first in its pipeline).</summary>
    public static void MarkArrival(HttpContext context) => context.Items[Started] = Stopwatch.GetTimestamp();

    /// <summary>Forwards (<paramref name="forward"/>) and records it.</summary>
    public async Task MeasureAsync(HttpContext context, string remote, Func<Task> forward)
    {
        var start = Stopwatch.GetTimestamp();
        await forward();
        var forwarding = Stopwatch.GetElapsedTime(start);
        KeyValuePair<string, object?> target = new("modular.remote", remote);
        var outcome = context.GetForwarderErrorFeature() is { } failure ? Outcome(failure.Error) : "forwarded";
        _forwarded.Add(1, _deployment, target, new("outcome", outcome));
        _forwardDuration.Record(forwarding.TotalSeconds, _deployment, target);
        if (context.Items[Started] is long arrived)
            _addedDuration.Record(Math.Max(0, (Stopwatch.GetElapsedTime(arrived) - forwarding).TotalSeconds), _deployment, target);
    }

    private static string Outcome(ForwarderError error) => error switch
    {
        ForwarderError.NoAvailableDestinations => "no_instance",
        ForwarderError.RequestTimedOut => "timeout",
        ForwarderError.Request => "unreachable",
        _ => "cut_off",
    };

    public void Dispose() => _meter.Dispose();
}
