using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Modular.BuildingBlocks.Health;

/// <summary>Ready when the broker accepts an AMQP connection (only registered when messages cross over RabbitMQ).</summary>
internal sealed class RabbitMqHealthCheck(RabbitMqHealthCheck.Target target) : IHealthCheck
{
    public sealed record Target(Uri Broker);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = target.Broker, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return connection.IsOpen ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("RabbitMQ connection is closed.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("RabbitMQ does not answer.", e);
        }
    }
}
