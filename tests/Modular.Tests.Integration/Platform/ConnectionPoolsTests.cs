using Modular.Platform.Composition.Persistence;
using Modular.Tests.Support;
using Npgsql;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// What replaced the keepalive (ADR 0023): after every pooled connection was cut (a crash, a restart, a network cut),
/// Npgsql clears only the pool whose connection broke; <see cref="ConnectionPools"/> clears the others at the first
/// failure, so a module that saw no traffic meanwhile does not answer its next caller 503.
/// </summary>
public sealed class ConnectionPoolsTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("pools");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task after_the_connections_were_cut_the_first_failure_clears_every_pool()
    {
        // The pools reach PostgreSQL through a forwarder: closing it cuts every connection the way a crash or a network
        // cut does (end of stream, no goodbye from the server).
        var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        var port = Server.FreeLoopbackPort();
        var forwarder = new TcpForwarder(port, server.Host!, server.Port);
        forwarder.Open();
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;
        await using var pools = new ConnectionPools();
        NpgsqlDataSource[] stores = [pools.Create(connectionString), pools.Create(connectionString), pools.Create(connectionString)];
        foreach (var store in stores)
        {
            var held = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.OpenConnectionAsync().AsTask()));
            foreach (var connection in held) await connection.DisposeAsync(); // idle connections in each pool
        }

        await forwarder.DisposeAsync();
        await using var again = new TcpForwarder(port, server.Host!, server.Port);
        again.Open(); // the server is reachable again; the pooled connections are dead

        // Npgsql clears the pool whose connection broke: the first store's next checkout is fresh...
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => SelectOneAsync(stores[0]));
        Assert.Equal(1, await SelectOneAsync(stores[0]));
        // ...but not the other pools: each would fail its first caller.
        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => SelectOneAsync(stores[1]));
        Assert.True(ConnectionPools.ShowsBrokenConnection(failure), failure.ToString());

        ConnectionPools.NoteFailure(failure);

        Assert.Equal(1, await SelectOneAsync(stores[2]));
    }

    [Fact]
    public async Task a_statement_failing_on_a_live_connection_is_no_broken_connection()
    {
        await using var pools = new ConnectionPools();
        var store = pools.Create(_database.ConnectionString);

        var error = await Assert.ThrowsAnyAsync<PostgresException>(async () =>
        {
            await using var command = store.CreateCommand("select 1 / 0");
            await command.ExecuteScalarAsync();
        });

        Assert.False(ConnectionPools.ShowsBrokenConnection(error));
    }

    private static async Task<int> SelectOneAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select 1");
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
