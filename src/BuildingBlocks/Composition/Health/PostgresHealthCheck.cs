using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Modular.BuildingBlocks.Composition.Health;

/// <summary>Ready when the shared PostgreSQL answers a trivial query within the probe's time.</summary>
internal sealed class PostgresHealthCheck(PostgresHealthCheck.Target target) : IHealthCheck
{
    public sealed record Target(string ConnectionString);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
        }
    }
}
