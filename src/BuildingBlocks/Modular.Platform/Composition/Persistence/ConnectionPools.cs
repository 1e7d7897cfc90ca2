using System.Collections.Concurrent;
using System.Net.Sockets;
using Npgsql;

namespace Modular.Platform.Composition.Persistence;

/// <summary>
/// The PostgreSQL connection pools of a host (each module store's, the main store's with Wolverine's envelope storage),
/// cleared together when any failure shows a connection broke (ADR 0023). After a database restart every idle
/// connection of every pool is dead, and Npgsql checks nothing on checkout (by design). Npgsql clears the one pool whose
/// connection broke; the others would each hand their first request a dead connection later — a module that saw no
/// traffic during the restart would answer its next caller 503. So the first failure anywhere (the exception handler,
/// the message retry policy, the gRPC error mapper, the readiness check that gateways and orchestrators poll) clears
/// them all. Nothing runs while the database is healthy: this replaced a 1 s keepalive that cost ~12 % of reads.
/// </summary>
public sealed class ConnectionPools : IAsyncDisposable
{
    /// <summary>The pools of every live host of the process (a test process runs several).</summary>
    private static readonly ConcurrentDictionary<NpgsqlDataSource, byte> Live = new();

    private readonly ConcurrentBag<NpgsqlDataSource> _own = [];

    /// <summary>A pool for <paramref name="connectionString"/>, one per store as Marten would make it, disposed with the host.</summary>
    /// <param name="sessionStateFree">
    /// Nothing on these connections leaves session state behind (no session-level advisory lock, <c>SET</c>, temporary
    /// table or <c>LISTEN</c>): Npgsql then skips the reset it otherwise sends with the first statement after every
    /// checkout (<c>No Reset On Close</c>; measured: a third of a read's app CPU, half its throughput). True for module
    /// stores, whose connections only Marten sessions use (ADR 0024); never for the main store, whose pool Wolverine's
    /// agents take session-level advisory locks on. A connection string that names the setting keeps its own.
    /// </param>
    public NpgsqlDataSource Create(string connectionString, bool sessionStateFree = false)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (sessionStateFree && !ConnectionDefaults.Names(connectionString, "noresetonclose")) builder.NoResetOnClose = true;
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _own.Add(dataSource);
        Live.TryAdd(dataSource, 0);
        return dataSource;
    }

    /// <summary>Clears every pool when <paramref name="exception"/> shows a connection broke; anything else is left alone.</summary>
    public static void NoteFailure(Exception exception)
    {
        // No throttle: only dead connections and a server still down fail this way, and clearing an empty or fresh pool
        // costs a reconnect at most.
        if (!ShowsBrokenConnection(exception)) return;
        foreach (var dataSource in Live.Keys) dataSource.Clear();
        NpgsqlConnection.ClearAllPools(); // pools opened by connection string (the readiness check, the backlog reader)
    }

    /// <summary>
    /// Whether the connection itself failed (the server went away, restarted or does not accept connections yet), as
    /// opposed to a statement failing on a live connection (a constraint, a conflict, a deadlock).
    /// </summary>
    public static bool ShowsBrokenConnection(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { InnerException: IOException or SocketException }:
                    return true;
                case ObjectDisposedException disposed when disposed.ObjectName.StartsWith("Npgsql", StringComparison.Ordinal):
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(ShowsBrokenConnection);
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _own)
        {
            Live.TryRemove(dataSource, out _);
            await dataSource.DisposeAsync();
        }
    }
}
