using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Modular.Platform.Composition.Health;

/// <summary>
/// Stopping without refusing: on SIGTERM (or any stop of the host) the process first answers <c>/health/ready</c> 503
/// and goes on serving for <see cref="ShutdownOptions.Drain"/>, so the load balancer in front (Kubernetes' Service, HAProxy,
/// the gateway's health probes) takes it out before it stops listening; only then do the server and Wolverine stop, the
/// server finishing the requests in flight and Wolverine the messages it is handling, within
/// <see cref="ShutdownOptions.Timeout"/>. A message received but not handled by then stays in the deployment's durable
/// inbox, where another instance (or this one, restarted) takes it up.
/// </summary>
internal sealed class GracefulStop(ShutdownOptions options) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _stopping;

    public static void Add(IServiceCollection services, ShutdownOptions options)
    {
        var stop = new GracefulStop(options);
        // Every hosted service's StoppingAsync runs before any StopAsync: the server is still listening while this waits.
        services.AddSingleton<IHostedService>(stop);
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Drain + options.Timeout);
        services.AddHealthChecks().Add(new HealthCheckRegistration("stopping", stop, HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]));
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (options.Drain <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(options.Drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped harder (a second signal, the host's own deadline): stop now.
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_stopping ? HealthCheckResult.Unhealthy("stopping: finishing what it has, taking nothing new") : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
