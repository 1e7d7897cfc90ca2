using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Modular.Platform.Composition.Fencing;

/// <summary>
/// Keeps <see cref="ModuleFence"/> true to each module's database (ADR 0029). Per module, one connection of the module's
/// own, holding the module's advisory lock shared while this process serves it, and reading every
/// <c>Modular:Database:FenceInterval</c> (and at once when a move notifies <c>modular_fences</c>) whether the database
/// fences the module (a row in <c>modular.module_fences</c>, which only a data move writes). When it does, the process
/// stops taking work for the module, waits for the work in flight, and lets the lock go: the move takes the lock
/// exclusively, so once it has it no process writes the module's data there. A process that loses its connection fences
/// the module too, as its lock went with it. The first look is part of the start: a host serves nothing before it.
/// </summary>
internal sealed partial class ModuleFenceWatch(ModuleFence fence, IReadOnlyList<(ModuleDefinition Module, string ConnectionString)> stores,
    TimeSpan interval, ILogger<ModuleFenceWatch> logger) : BackgroundService
{
    public const string Schema = "modular";
    public const string Table = $"{Schema}.module_fences";

    /// <summary>Notified by a move whenever it changes a fence, so processes see it at once rather than at their next look.</summary>
    public const string Channel = "modular_fences";

    private static readonly TimeSpan FirstLookTimeout = TimeSpan.FromSeconds(15);

    private readonly List<Watcher> _watchers = stores.Select(s => new Watcher(fence.Of(s.Module), s.ConnectionString, logger)).ToList();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(FirstLookTimeout);
        try
        {
            await Task.WhenAll(_watchers.Select(w => w.LookAsync(bounded.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The database did not answer in time: the modules stay fenced (readiness says so) until it does.
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(_watchers.Select(w => w.RunAsync(interval, stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var watcher in _watchers) await watcher.DisposeAsync(); // the locks go with the connections
    }

    private sealed class Watcher(ModuleFence.Gate gate, string connectionString, ILogger logger) : IAsyncDisposable
    {
        // Its own connection, outside every pool: the lock is the session's, and module pools skip the session reset.
        private readonly string _connect =
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "modular-fence" }.ConnectionString;

        private readonly long _key = ModuleFence.LockKey(gate.Module);
        private NpgsqlConnection? _connection;
        private bool _holding;
        private bool _first = true;

        public async Task RunAsync(TimeSpan interval, CancellationToken stop)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    // Until the next look, or at once when a move changes a fence in this database.
                    if (_connection is null) await Task.Delay(interval, stop);
                    else await WaitAsync(interval, stop);
                    await LookAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopping: the connection (and the lock) goes with the process.
            }
        }

        /// <summary>Connects if need be, holds the lock unless fenced, and sets the flag from the database.</summary>
        public async Task LookAsync(CancellationToken ct)
        {
            try
            {
                if (_connection is null)
                {
                    _connection = new NpgsqlConnection(_connect);
                    await _connection.OpenAsync(ct);
                    await ScalarAsync<object>($"LISTEN {Channel}", null, ct);
                    _holding = false;
                }

                // The lock first, then the row: a move writes the row first, then waits for the lock.
                if (!_holding) _holding = await ScalarAsync<bool>("SELECT pg_try_advisory_lock_shared($1)", _key, ct);
                var fenced = !_holding || await FencedAsync(ct);
                if (_first ? fenced : fenced != gate.Fenced)
                {
                    if (fenced) Fenced(logger, gate.Module.Name);
                    else Served(logger, gate.Module.Name);
                }

                _first = false;
                gate.Set(fenced);
                if (fenced && _holding)
                {
                    while (gate.InFlight > 0) await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
                    await ScalarAsync<bool>("SELECT pg_advisory_unlock_shared($1)", _key, ct);
                    _holding = false;
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException && !ct.IsCancellationRequested)
            {
                if (!gate.Fenced) Lost(logger, gate.Module.Name, e.Message);
                gate.Set(true);
                await DisposeAsync();
            }
        }

        private async Task WaitAsync(TimeSpan interval, CancellationToken ct)
        {
            try
            {
                await _connection!.WaitAsync(interval, ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException && !ct.IsCancellationRequested)
            {
                await DisposeAsync(); // the next look reconnects, and fences the module if it cannot
            }
        }

        /// <summary>Whether a move fenced the module in this database; no fence table means no move ever did.</summary>
        private async Task<bool> FencedAsync(CancellationToken ct)
        {
            try
            {
                return await ScalarAsync<bool>($"SELECT EXISTS (SELECT FROM {Table} WHERE module = $1)", gate.Module.Name, ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
            {
                return false;
            }
        }

        private async Task<T> ScalarAsync<T>(string sql, object? parameter, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand(sql, _connection);
            if (parameter is not null) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            return (T)(await command.ExecuteScalarAsync(ct))!;
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = null;
            _holding = false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Module {Module} fenced: its data in this database is not current; its routes answer 503 and its messages wait (ADR 0029)")]
    private static partial void Fenced(ILogger logger, string module);

    [LoggerMessage(LogLevel.Information, "Module {Module} served from this database again (ADR 0029)")]
    private static partial void Served(ILogger logger, string module);

    [LoggerMessage(LogLevel.Warning, "Module {Module} fenced: its database connection failed ({Reason}); served again once it is back")]
    private static partial void Lost(ILogger logger, string module, string reason);
}
