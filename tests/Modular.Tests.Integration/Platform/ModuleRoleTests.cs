using Alba;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Platform.Composition.Modules;
using Npgsql;

namespace Modular.Tests.Integration.Platform;

/// <summary>Each module's store logs in as its own role: its schema is its own, another module's is out of reach.</summary>
[Collection(PlatformSuite.Name)]
public sealed class ModuleRoleTests(ModularApp app)
{
    [Fact]
    public async Task a_modules_role_uses_its_own_schema_and_gets_permission_denied_on_another_modules()
    {
        var modules = app.Host.Services.GetRequiredService<ActiveModules>().All;
        Assert.Equal(3, modules.Count);

        foreach (var module in modules)
        {
            await using var connection = new NpgsqlConnection(ModuleRoles.ConnectionString(app.Database.ConnectionString, module, ModularApp.RoleSecret));
            await connection.OpenAsync();
            Assert.Equal(ModuleRoles.RoleOf(module), await ScalarAsync(connection, "select current_user"));
            // Its own tables, and Wolverine's message storage (its transactions write their outbox there).
            await ScalarAsync(connection, $"create table {module.Schema}.probe (id int); drop table {module.Schema}.probe");
            await ScalarAsync(connection, "select count(*) from wolverine.wolverine_outgoing_envelopes");

            foreach (var other in modules.Where(m => m != module))
            {
                var table = await ScalarAsync(connection, $"select tablename from pg_tables where schemaname = '{other.Schema}' limit 1");
                Assert.NotNull(table);
                var denied = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, $"select count(*) from {other.Schema}.{table}"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
                denied = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, $"create table {other.Schema}.intruder (id int)"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
            }
        }
    }

    [Fact]
    public async Task the_deployments_shared_connection_logs_in_as_its_messaging_role_which_owns_the_message_storage_and_nothing_else()
    {
        var role = ModuleRoles.MessagingRoleOf("monolith");
        // The host was given the admin's connection string; with a role secret it logs in as its own role all the same.
        Assert.True(await app.Database.ScalarAsync<long>(
            $"select count(*) from pg_stat_activity where usename = '{role}' and datname = current_database()") > 0, $"no connection as {role}");

        await using var connection = new NpgsqlConnection(ModuleRoles.MessagingConnectionString(app.Database.ConnectionString, "monolith", ModularApp.RoleSecret));
        await connection.OpenAsync();
        Assert.Equal(role, await ScalarAsync(connection, "select current_user"));
        Assert.Equal(role, await ScalarAsync(connection, "select nspowner::regrole::text from pg_namespace where nspname = 'wolverine'"));
        await ScalarAsync(connection, "select count(*) from wolverine.wolverine_incoming_envelopes");
        foreach (var module in app.Host.Services.GetRequiredService<ActiveModules>().All)
        {
            var table = await ScalarAsync(connection, $"select tablename from pg_tables where schemaname = '{module.Schema}' limit 1");
            var denied = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, $"select count(*) from {module.Schema}.{table}"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "create role intruder login"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task a_role_given_the_wrong_password_is_refused()
    {
        var module = app.Host.Services.GetRequiredService<ActiveModules>().All[0];
        await using var connection = new NpgsqlConnection(ModuleRoles.ConnectionString(app.Database.ConnectionString, module, "not-the-secret"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState); // the test server checks passwords (scram-sha-256)
    }

    [Fact]
    public async Task a_modules_connections_are_left_without_session_state_so_their_pool_skips_the_reset()
    {
        // A write whose event another module handles: both modules' stores, and Wolverine's outbox, take connections.
        await app.TrackAsync(() => app.Host.Scenario(x =>
        {
            x.Post.Json(new AddProduct($"ROLE-{Guid.NewGuid():N}"[..16], "Role probe", new Money(3m, "EUR"))).ToUrl("/api/catalog/products");
            x.StatusCodeShouldBe(201);
        }));

        // Module pools skip Npgsql's reset (ConnectionPools, ADR 0024): safe only while nothing on them takes a session-level
        // advisory lock (Wolverine's agents take theirs on the main store's pool, logged in as the deployment's messaging role;
        // the module fence holds one per module on a connection of its own, outside every pool: ADR 0029).
        var held = await app.Database.ScalarAsync<long>(
            "select count(*) from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and a.usename like 'modular\\_%' and a.usename not like 'modular\\_messaging\\_%' and a.application_name <> 'modular-fence' and a.datname = current_database()");
        Assert.Equal(0, held);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
