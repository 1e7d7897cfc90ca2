using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.Platform.Composition.Persistence;
using Npgsql;

namespace Modular.Platform.Composition.Health;

/// <summary>
/// Ready when the shared PostgreSQL answers a trivial query within the probe's time. Gateways and orchestrators poll it
/// every few seconds, so it is also what finds dead connections after a database restart when nothing else runs: a
/// failure that shows one clears every pool (<see cref="ConnectionPools"/>) and the query is sent once more on a fresh
/// connection, so a restart does not take a healthy instance out of a gateway's rotation.
/// </summary>
internal sealed class PostgresHealthCheck(PostgresHealthCheck.Target target) : IHealthCheck
{
    public sealed record Target(string ConnectionString);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            try
            {
                await SelectOneAsync(cancellationToken);
            }
            catch (NpgsqlException e) when (ConnectionPools.ShowsBrokenConnection(e))
            {
                ConnectionPools.NoteFailure(e);
                await SelectOneAsync(cancellationToken);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
        }
    }

    private async Task SelectOneAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
