using Npgsql;

namespace Modular.Tests.Support;

/// <summary>
/// A fresh database on the test server (<c>MODULAR_TEST_POSTGRES</c>, set by <c>make test</c>), one per
/// test collection so collections run in parallel without sharing data; dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "MODULAR_TEST_POSTGRES";

    private readonly string _server;

    private TestDatabase(string name, string connectionString, string server)
    {
        Name = name;
        ConnectionString = connectionString;
        _server = server;
    }

    /// <summary>
    /// The secret the roles' passwords derive from (<c>Modular:Database:RoleSecret</c>) for every host on the test server.
    /// Roles belong to the server, and it checks passwords (scram-sha-256): every process testing against it — this
    /// suite, a generated module's, <c>make run</c>'s — must derive the same passwords, so the secret comes from the
    /// server's own (random) admin connection string rather than from each process.
    /// </summary>
    public static string RoleSecret { get; } = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes("modular-test-roles|" + (Environment.GetEnvironmentVariable(ServerVariable) ?? Guid.NewGuid().ToString()))));

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>The server's admin connection string. Missing is an error, never a skip.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run `make test`, which starts a PostgreSQL server for the tests, " +
                "or point it at a server where you may create databases.");

    /// <summary>A new database on the test server, or on <paramref name="server"/> (a test's own PostgreSQL).</summary>
    public static async Task<TestDatabase> CreateAsync(string purpose, string? server = null)
    {
        server ??= ServerConnectionString;
        var name = $"test_{purpose}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await ExecuteOnServerAsync($"create database \"{name}\"", server);
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(name, builder.ConnectionString, server);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"drop database if exists \"{Name}\" with (force)", _server);
    }

    /// <summary>A statement on the server, outside any test database (create or drop one).</summary>
    public static async Task ExecuteOnServerAsync(string sql, string? server = null)
    {
        await using var connection = new NpgsqlConnection(server ?? ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
