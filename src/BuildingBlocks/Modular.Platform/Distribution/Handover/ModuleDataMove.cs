using System.Diagnostics;
using Modular.Platform.Composition.Fencing;
using Modular.Platform.Composition.Modules;
using Npgsql;

namespace Modular.Platform.Distribution.Handover;

/// <summary>
/// Moves a module's data to another database while every module keeps serving (ADR 0029), in two steps:
/// <list type="number">
/// <item><see cref="PrepareAsync"/>: the module's schema is made in the target (copied with <c>pg_dump</c>/<c>psql</c>, or
/// emptied where an older copy of it was left behind by an earlier move), fenced there, and filled by PostgreSQL logical
/// replication (a publication of the module's tables, a subscription in the target) until the initial copy is done.
/// Processes of the module may then start on the target: fenced, they answer 503 and take no message.</item>
/// <item><see cref="SwitchAsync"/>: the source is fenced, the move takes the module's advisory lock (so no process writes
/// there any more), a mark written in the source is waited for in the target (everything committed before it has been
/// applied), sequences follow, replication is dropped, and the target is unfenced. The module's routes answer 503 in
/// between: about a second. The source stays fenced; its processes are then stopped (a rolling restart).</item>
/// </list>
/// Both steps run with logins allowed to create databases, publications and subscriptions (the admin's).
/// </summary>
internal static class ModuleDataMove
{
    private const string Marks = $"{ModuleFenceWatch.Schema}.move_marks";

    /// <summary>What <c>move-data</c> is told: the module, where its data is, where it goes, and how long to wait at most.</summary>
    public sealed record Plan(ModuleDefinition Module, string From, string To, TimeSpan Patience)
    {
        /// <summary>The publication's, slot's and subscription's name; slots are the server's, so the source database is in it.</summary>
        public string Name { get; } = $"modular_move_{Module.Schema}_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(new NpgsqlConnectionStringBuilder(From).Database ?? "")))[..8];
    }

    public static async Task PrepareAsync(Plan plan, TextWriter output, CancellationToken ct = default)
    {
        var schema = plan.Module.Schema;
        await CreateDatabaseIfMissingAsync(plan.To, ct);
        await using var source = await OpenAsync(plan.From, ct);
        await using var target = await OpenAsync(plan.To, ct);
        if (await FencedAsync(source, plan.Module, ct))
            throw new ModularConfigurationException($"Module {plan.Module.Name}'s data in the source is fenced: it is not current there (it moved away?).");
        if (await ScalarAsync<string>(source, "SHOW wal_level", ct) != "logical")
            throw new ModularConfigurationException("The source server runs with wal_level other than 'logical': set it (and restart) to move data while serving.");

        var tables = await TablesAsync(source, schema, ct);
        if (tables.Count == 0) throw new ModularConfigurationException($"The source has no tables in schema {schema}: nothing to move.");
        if (await ScalarAsync<string?>(source, """
                SELECT string_agg(c.oid::regclass::text, ', ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relreplident = 'd'
                  AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
                """, ct, schema) is { } keyless)
            throw new ModularConfigurationException($"{keyless} have no primary key: their updates could not be replicated.");
        var existing = await TablesAsync(target, schema, ct);
        // Data of the module in the target is only replaced when a move fenced it there (the copy it moved away from).
        if (existing.Count > 0 && !await FencedAsync(target, plan.Module, ct)
            && await ScalarAsync<bool>(target, $"SELECT EXISTS ({string.Join(" UNION ALL ", existing.Select(t => $"SELECT FROM {t}"))})", ct))
            throw new ModularConfigurationException($"The target's schema {schema} holds data no move fenced: it may be live. Nothing was changed.");

        await ExecuteAsync(source, MoveTables(), ct);
        await ExecuteAsync(target, MoveTables(), ct);
        // The target is fenced before anything lands there: a process started on it waits for the switch.
        await FenceAsync(target, plan.Module, fenced: true, ct);
        await DropReplicationAsync(plan, source, target, ct);
        if (existing.Count == 0)
        {
            await CopySchemaAsync(plan, output, ct);
        }
        else
        {
            if (tables.Except(existing).ToList() is { Count: > 0 } missing)
                throw new ModularConfigurationException($"The target's schema {schema} lacks {string.Join(", ", missing)}: drop it, and prepare again.");
            // The older copy is replaced by what the source holds now.
            await ExecuteAsync(target, $"TRUNCATE {string.Join(", ", tables)}", ct);
            await output.WriteLineAsync($"emptied the older copy of {schema} in the target");
        }

        await ExecuteAsync(source, $"INSERT INTO {Marks} (module) VALUES ($1) ON CONFLICT DO NOTHING", ct, plan.Module.Name);
        await ExecuteAsync(target, $"DELETE FROM {Marks} WHERE module = $1", ct, plan.Module.Name);
        await ExecuteAsync(source,
            $"CREATE PUBLICATION {plan.Name} FOR TABLE {string.Join(", ", tables)}, {Marks} WHERE (module = '{plan.Module.Name}')", ct);
        await ExecuteAsync(source, $"SELECT pg_create_logical_replication_slot('{plan.Name}', 'pgoutput')", ct);
        // The slot made apart: a subscription to a database of the same server could not make it itself.
        await ExecuteAsync(target, $"CREATE SUBSCRIPTION {plan.Name} CONNECTION '{ConnInfo(plan.From)}' PUBLICATION {plan.Name} " +
                                   $"WITH (create_slot = false, slot_name = '{plan.Name}', copy_data = true)", ct);
        var started = Stopwatch.StartNew();
        await UntilAsync(plan.Patience, "the initial copy", () => ScalarAsync<bool>(target, """
            SELECT NOT EXISTS (SELECT FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
                               WHERE s.subname = $1 AND r.srsubstate <> 'r')
            """, ct, plan.Name), ct);
        await output.WriteLineAsync($"prepared: {tables.Count} tables of {schema} copied in {started.Elapsed.TotalSeconds:0.0} s and replicating; " +
                                    $"start {plan.Module.Name}'s processes on the target (fenced until the switch), then run the switch");
    }

    public static async Task SwitchAsync(Plan plan, TextWriter output, CancellationToken ct = default)
    {
        await using var source = await OpenAsync(plan.From, ct);
        await using var target = await OpenAsync(plan.To, ct);
        if (!await ScalarAsync<bool>(target, "SELECT EXISTS (SELECT FROM pg_subscription WHERE subname = $1)", ct, plan.Name))
            throw new ModularConfigurationException($"No move of {plan.Module.Name} is prepared in the target: run prepare first.");

        var fenced = Stopwatch.StartNew();
        await FenceAsync(source, plan.Module, fenced: true, ct);
        try
        {
            // Every process serving the module there holds the lock shared; each lets go once it saw the fence and its work
            // in flight is done. Held exclusively from here on, until this connection closes.
            await ExecuteAsync(source, $"SET lock_timeout = '{(int)plan.Patience.TotalMilliseconds}ms'", ct);
            await ExecuteAsync(source, "SELECT pg_advisory_lock($1)", ct, ModuleFence.LockKey(plan.Module));
            var quiet = fenced.Elapsed;
            // The mark's commit flushed at once: replication only sends what is flushed (synchronous_commit may be off).
            await ExecuteAsync(source, "SET synchronous_commit = on", ct);
            var mark = await ScalarAsync<long>(source, $"UPDATE {Marks} SET mark = mark + 1 WHERE module = $1 RETURNING mark", ct, plan.Module.Name);
            await UntilAsync(plan.Patience, "the catch-up", async () =>
                await ScalarAsync<long?>(target, $"SELECT mark FROM {Marks} WHERE module = $1", ct, plan.Module.Name) >= mark, ct);
            var caughtUp = fenced.Elapsed;
            await FollowSequencesAsync(plan.Module.Schema, source, target, ct);
            await DropReplicationAsync(plan, source, target, ct);
            await FenceAsync(target, plan.Module, fenced: false, ct);
            await output.WriteLineAsync($"switched: {plan.Module.Name} fenced for {fenced.Elapsed.TotalMilliseconds:0} ms " +
                                        $"(quiet after {quiet.TotalMilliseconds:0} ms, caught up after {caughtUp.TotalMilliseconds:0} ms); " +
                                        "its processes on the target serve it now; stop those on the source");
        }
        catch
        {
            // Not switched: the source serves again, the replication goes on, and the switch may be run again.
            await using var undo = await OpenAsync(plan.From, CancellationToken.None);
            await FenceAsync(undo, plan.Module, fenced: false, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Fences the module in that database, or lifts its fence; its processes there hear of it at once.</summary>
    private static async Task FenceAsync(NpgsqlConnection connection, ModuleDefinition module, bool fenced, CancellationToken ct)
    {
        await ExecuteAsync(connection, fenced
            ? $"INSERT INTO {ModuleFenceWatch.Table} (module) VALUES ($1) ON CONFLICT DO NOTHING"
            : $"DELETE FROM {ModuleFenceWatch.Table} WHERE module = $1", ct, module.Name);
        await ExecuteAsync(connection, $"NOTIFY {ModuleFenceWatch.Channel}", ct);
    }

    /// <summary>The fence and the catch-up mark, made once per database; readable by every module's role.</summary>
    private static string MoveTables() => $"""
        CREATE SCHEMA IF NOT EXISTS {ModuleFenceWatch.Schema};
        CREATE TABLE IF NOT EXISTS {ModuleFenceWatch.Table} (module text PRIMARY KEY, since timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS {Marks} (module text PRIMARY KEY, mark bigint NOT NULL DEFAULT 0);
        GRANT USAGE ON SCHEMA {ModuleFenceWatch.Schema} TO PUBLIC;
        GRANT SELECT ON {ModuleFenceWatch.Table} TO PUBLIC;
        """;

    /// <summary>The schema's definition (tables, indexes, functions, sequences), as pg_dump writes it, applied by psql.</summary>
    private static async Task CopySchemaAsync(Plan plan, TextWriter output, CancellationToken ct)
    {
        var dump = await RunAsync("pg_dump", plan.From, ["--schema-only", $"--schema={plan.Module.Schema}", "--no-publications", "--no-subscriptions"],
            null, ct);
        await RunAsync("psql", plan.To, ["-v", "ON_ERROR_STOP=1", "-q"], dump, ct);
        await output.WriteLineAsync($"copied the definition of schema {plan.Module.Schema} to the target");
    }

    private static async Task<string> RunAsync(string tool, string connectionString, IEnumerable<string> arguments, string? input, CancellationToken ct)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["PGHOST"] = c.Host, ["PGPORT"] = c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGUSER"] = c.Username, ["PGPASSWORD"] = c.Password, ["PGDATABASE"] = c.Database },
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new ModularConfigurationException($"{tool} could not be started.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), ct);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new ModularConfigurationException($"{tool} failed: {(await stderr).Trim()}");
        return await stdout;
    }

    /// <summary>Sequences are not replicated: each one in the target goes to where the source's is.</summary>
    private static async Task FollowSequencesAsync(string schema, NpgsqlConnection source, NpgsqlConnection target, CancellationToken ct)
    {
        var values = new List<(string Name, long Value)>();
        await using (var command = new NpgsqlCommand("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = $1 AND last_value IS NOT NULL", source)
                     { Parameters = { new NpgsqlParameter { Value = schema } } })
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) values.Add((reader.GetString(0), reader.GetInt64(1)));
        foreach (var (name, value) in values)
            await ExecuteAsync(target, "SELECT setval(format('%I.%I', $1::text, $2::text)::regclass, $3)", ct, schema, name, value);
    }

    /// <summary>The subscription, its slot and the publication, if a move made them; safe when it did not.</summary>
    private static async Task DropReplicationAsync(Plan plan, NpgsqlConnection source, NpgsqlConnection target, CancellationToken ct)
    {
        if (await ScalarAsync<bool>(target, "SELECT EXISTS (SELECT FROM pg_subscription WHERE subname = $1)", ct, plan.Name))
        {
            await ExecuteAsync(target, $"ALTER SUBSCRIPTION {plan.Name} DISABLE", ct);
            await ExecuteAsync(target, $"ALTER SUBSCRIPTION {plan.Name} SET (slot_name = NONE)", ct);
            await ExecuteAsync(target, $"DROP SUBSCRIPTION {plan.Name}", ct);
        }

        // The slot is free once the subscription's sender has gone, a moment after it was disabled.
        await UntilAsync(plan.Patience, "the replication slot to be released", () => ScalarAsync<bool>(source,
            "SELECT NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = $1 AND active)", ct, plan.Name), ct);
        await ExecuteAsync(source, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", ct, plan.Name);
        await ExecuteAsync(source, $"DROP PUBLICATION IF EXISTS {plan.Name}", ct);
    }

    private static async Task<IReadOnlyList<string>> TablesAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var tables = new List<string>();
        await using var command = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
            """, connection) { Parameters = { new NpgsqlParameter { Value = schema } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task CreateDatabaseIfMissingAsync(string connectionString, CancellationToken ct)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var server = await OpenAsync(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString, ct);
        if (!await ScalarAsync<bool>(server, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", ct, database!))
            await ExecuteAsync(server, $"CREATE DATABASE \"{database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct);
    }

    /// <summary>The source as the target's server reaches it (libpq's key=value form).</summary>
    private static string ConnInfo(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        static string Quote(string? value) => "'" + (value ?? "").Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal) + "'";
        return string.Join(' ', $"host={Quote(c.Host)}", $"port={c.Port}", $"user={Quote(c.Username)}", $"password={Quote(c.Password)}",
            $"dbname={Quote(c.Database)}").Replace("'", "''", StringComparison.Ordinal);
    }

    private static async Task UntilAsync(TimeSpan patience, string what, Func<Task<bool>> done, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (deadline.Elapsed > patience) throw new TimeoutException($"Gave up waiting for {what} after {patience.TotalSeconds:0} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "modular-move-data" }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct, object? parameter = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteScalarAsync(ct) is var value and not DBNull ? (T)value! : default!;
    }

    /// <summary>Whether the module is fenced in that database; a database no move has touched has no fence table.</summary>
    private static async Task<bool> FencedAsync(NpgsqlConnection connection, ModuleDefinition module, CancellationToken ct)
    {
        try
        {
            return await ScalarAsync<bool>(connection, $"SELECT EXISTS (SELECT FROM {ModuleFenceWatch.Table} WHERE module = $1)", ct, module.Name);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return false;
        }
    }
}
