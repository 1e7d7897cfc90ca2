using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Health;
using RabbitMQ.Client;
using Wolverine.Runtime;

namespace Modular.Platform.Distribution.Topology;

/// <summary>
/// Starts Wolverine only once the broker answers. Without it, a broker that is down when a deployment
/// starts fails the host and the orchestrator restarts it in a loop; with it, the process comes up, answers
/// <c>/health/live</c>, reports not ready on <c>/health/ready</c>, retries the broker with backoff, and starts
/// messaging as soon as the broker appears. Ready means messaging has <em>started</em>, not just that the broker
/// answers: a request that publishes before Wolverine runs would fail.
/// </summary>
internal sealed partial class BrokerGate(IHostedService wolverine, Uri broker, BrokerGate.MessagingStart messaging, ILogger<BrokerGate> logger)
    : IHostedService, IDisposable
{
    /// <summary>Whether the gate has started Wolverine yet; the "messaging" readiness check reads it.</summary>
    internal sealed class MessagingStart
    {
        private volatile bool _started;

        public bool Started => _started;

        public void MarkStarted() => _started = true;
    }

    private sealed class ReadinessCheck(MessagingStart messaging) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(messaging.Started
                ? HealthCheckResult.Healthy("started")
                : HealthCheckResult.Unhealthy("not started yet: waiting for the broker, then for Wolverine to start"));
    }

    private readonly CancellationTokenSource _stopping = new();
    private Task _startup = Task.CompletedTask;
    private bool _started;

    /// <summary>Puts the gate in front of the hosted service Wolverine registers for its runtime.</summary>
    public static void Install(IServiceCollection services, Uri broker)
    {
        // Wolverine registers its runtime as the first hosted service of its own (a heartbeat service may follow).
        var wolverine = services.First(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationFactory?.Method.DeclaringType?.FullName?.StartsWith("Wolverine.", StringComparison.Ordinal) == true
            && d.ImplementationFactory.Method.DeclaringType.FullName.Contains("HostBuilderExtensions", StringComparison.Ordinal));
        services.Remove(wolverine);
        services.AddSingleton<MessagingStart>();
        services.AddSingleton<IHostedService>(sp => new BrokerGate((IHostedService)sp.GetRequiredService<IWolverineRuntime>(), broker,
            sp.GetRequiredService<MessagingStart>(), sp.GetRequiredService<ILogger<BrokerGate>>()));
        services.AddHealthChecks().Add(new HealthCheckRegistration("messaging",
            sp => new ReadinessCheck(sp.GetRequiredService<MessagingStart>()), failureStatus: null, tags: [HealthEndpoints.ReadyTag]));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _startup = Task.Run(() => WaitThenStartAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task WaitThenStartAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var factory = new ConnectionFactory { Uri = broker, RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
                await using (await factory.CreateConnectionAsync(stopping)) { }
                await wolverine.StartAsync(stopping);
                _started = true;
                messaging.MarkStarted();
                LogStarted(logger, broker.Host, broker.Port);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWaiting(logger, broker.Host, broker.Port, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 10));
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _startup.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_started) await wolverine.StopAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Host}:{Port} is unreachable; messaging starts when it answers (next try in {Seconds} s): {Reason}")]
    private static partial void LogWaiting(ILogger logger, string host, int port, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ at {Host}:{Port} answers; messaging started")]
    private static partial void LogStarted(ILogger logger, string host, int port);
}
