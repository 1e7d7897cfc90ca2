using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Modular.Platform.Composition.Health;

/// <summary>
/// Whether the broker accepts an AMQP connection (only registered when messages cross over RabbitMQ). A broker
/// that does not answer reports the registration's failure status: Degraded, since the outbox keeps accepted work.
/// </summary>
internal sealed class RabbitMqHealthCheck(RabbitMqHealthCheck.Target target) : IHealthCheck
{
    public sealed record Target(Uri Broker);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = target.Broker, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return connection.IsOpen ? HealthCheckResult.Healthy() : new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ connection is closed.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ does not answer; messages wait in the outbox.", e);
        }
    }
}
