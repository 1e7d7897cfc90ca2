using System.Text.RegularExpressions;
using JasperFx.Core.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution.Topology;
using Npgsql;
using Wolverine.Runtime;
using Wolverine.Util;

namespace Modular.Platform.Distribution.Handover;

/// <summary>
/// Takes over what another deployment's message store still holds for a module of this one, once no process of that
/// deployment lives (ADR 0028): a module moved out of the monolith (or back) leaves messages received and not handled,
/// scheduled or not yet sent in the store of the deployment it ran in, which no process of the new map reads. Every few
/// seconds, for each module here, the messages of the types it handles that sit in the storage schema of a deployment
/// with no live process (each stopped, or its heartbeat older than Wolverine's stale-node limit) move into this
/// deployment's inbox in one statement: deleted there and inserted here in the same transaction, so each is handled
/// once. A message already received here (same id and address) is not taken twice. It arrives at the
/// module's local queue here, or at the transport listener it was addressed to when this process listens there.
/// The statement runs as the module's own role, which <c>database-roles</c> made a member of the messaging role of each
/// deployment a map placed it in (<see cref="ModuleRoles"/>): a process reads no store of a deployment its modules never
/// ran in.
/// </summary>
internal sealed partial class MessageHandover(MessageHandover.Settings settings, AvailableModules available, IWolverineRuntime runtime,
    ILogger<MessageHandover> logger)
    : BackgroundService
{
    /// <param name="StorageSchema">This deployment's inbox and outbox.</param>
    /// <param name="Modules">Each module here whose data is in the shared database, and the connection string its store uses.</param>
    /// <param name="Interval">How often the other stores are looked at (<c>Modular:Topology:HandoverInterval</c>).</param>
    public sealed record Settings(string StorageSchema, IReadOnlyList<(ModuleDefinition Module, string ConnectionString)> Modules, TimeSpan Interval);

    /// <summary>One message type a module here handles: its stored name, where it goes here, and (shared types) which addresses are the module's.</summary>
    private sealed record Route(string MessageType, string Target, string AddressPattern);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<ModuleDefinition, IReadOnlyList<Route>> _routes = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var (module, connectionString) in settings.Modules)
                    await TakeOverAsync(module, connectionString, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: what is left stays where it is, for the next process to take
        }
    }

    private async Task TakeOverAsync(ModuleDefinition module, string connectionString, CancellationToken ct)
    {
        try
        {
            var routes = _routes.GetOrAdd(module, RoutesOf);
            var listeners = runtime.Options.Transports.AllEndpoints().Where(e => e.IsListener)
                .Select(e => e.Uri.ToString().TrimEnd('/')).ToArray();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            foreach (var schema in await OtherStoresAsync(connection, ct))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var taken = 0;
                foreach (var sql in new[] { TakeIncoming(schema), TakeOutgoing(schema) })
                {
                    await using var command = new NpgsqlCommand(sql, connection, transaction);
                    AddRoutes(command, routes);
                    command.Parameters.AddWithValue("listeners", listeners);
                    command.Parameters.AddWithValue("stale", runtime.Options.Durability.StaleNodeTimeout);
                    taken += await command.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
                if (taken > 0) TookOver(logger, taken, module.Name, schema);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The database away, or a store being made: the messages stay where they are until the next round (and a
            // failure here never stops the host).
            CouldNotLook(logger, module.Name, e.Message);
        }
    }

    /// <summary>
    /// How many messages for the modules here other deployments' stores still hold, whoever holds them: what a live
    /// process of the old map is still working on, and what will be taken over. 0 once a move is complete.
    /// </summary>
    public async Task<int> CountHeldElsewhereAsync(CancellationToken ct)
    {
        var held = 0L;
        foreach (var (module, connectionString) in settings.Modules)
        {
            var routes = _routes.GetOrAdd(module, RoutesOf);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            foreach (var schema in await OtherStoresAsync(connection, ct))
            {
                await using var command = new NpgsqlCommand($"""
                    SELECT (SELECT count(*) FROM {Quote(schema)}.wolverine_incoming_envelopes e, {Routes}
                            WHERE {Matches("e.received_at")} AND e.status IN ('Incoming', 'Scheduled'))
                         + (SELECT count(*) FROM {Quote(schema)}.wolverine_outgoing_envelopes e, {Routes} WHERE {Matches("e.destination")})
                    """, connection);
                AddRoutes(command, routes);
                held += (long)(await command.ExecuteScalarAsync(ct))!;
            }
        }

        return (int)held;
    }

    /// <summary>The other deployments' storage schemas in this database that the module's role may take messages from.</summary>
    private async Task<List<string>> OtherStoresAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname FROM pg_namespace n
              JOIN pg_class i ON i.relnamespace = n.oid AND i.relname = 'wolverine_incoming_envelopes'
              JOIN pg_class o ON o.relnamespace = n.oid AND o.relname = 'wolverine_outgoing_envelopes'
            WHERE n.nspname ~ '^wolverine(_|$)' AND n.nspname <> @own
              AND has_table_privilege(i.oid, 'DELETE') AND has_table_privilege(o.oid, 'DELETE')
            """, connection);
        command.Parameters.AddWithValue("own", settings.StorageSchema);
        var schemas = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) schemas.Add(reader.GetString(0));
        return schemas;
    }

    // The store's deployment has no live process: each stopped (a graceful stop removes its node), or its heartbeat is
    // older than Wolverine's own stale-node limit. While one lives, it handles its store itself (its leader takes over
    // a dead instance's messages), and a message this process just took over is not taken back by the other map.
    private static string NobodyServes(string schema) =>
        $"NOT EXISTS (SELECT FROM {schema}.wolverine_nodes WHERE health_check > now() - @stale)";

    private const string Routes = "unnest(@types::text[], @targets::text[], @patterns::text[]) AS r(type, target, pattern)";

    /// <summary>An envelope of a type the module handles, at an address that is the module's (for a type another module handles too).</summary>
    private static string Matches(string address) => $"e.message_type = r.type AND (r.pattern = '' OR {address} ~ r.pattern)";

    private static void AddRoutes(NpgsqlCommand command, IReadOnlyList<Route> routes)
    {
        command.Parameters.AddWithValue("types", routes.Select(r => r.MessageType).ToArray());
        command.Parameters.AddWithValue("targets", routes.Select(r => r.Target).ToArray());
        command.Parameters.AddWithValue("patterns", routes.Select(r => r.AddressPattern).ToArray());
    }

    private string TakeIncoming(string schema) => $"""
        WITH moved AS (
          DELETE FROM {Quote(schema)}.wolverine_incoming_envelopes e USING {Routes}
          WHERE {Matches("e.received_at")} AND e.status IN ('Incoming', 'Scheduled') AND {NobodyServes(Quote(schema))}
          RETURNING e.id, e.status, e.execution_time, e.attempts, e.body, e.message_type,
            CASE WHEN rtrim(e.received_at, '/') = ANY(@listeners) THEN e.received_at ELSE r.target END AS received_at)
        INSERT INTO {Quote(settings.StorageSchema)}.wolverine_incoming_envelopes
          (id, status, owner_id, execution_time, attempts, body, message_type, received_at)
        SELECT id, status, 0, execution_time, attempts, body, message_type, received_at FROM moved
        ON CONFLICT DO NOTHING
        """;

    // A message the other deployment had not sent yet is received here as if it had arrived.
    private string TakeOutgoing(string schema) => $"""
        WITH moved AS (
          DELETE FROM {Quote(schema)}.wolverine_outgoing_envelopes e USING {Routes}
          WHERE {Matches("e.destination")} AND {NobodyServes(Quote(schema))}
          RETURNING e.id, e.body, e.message_type,
            CASE WHEN rtrim(e.destination, '/') = ANY(@listeners) THEN e.destination ELSE r.target END AS received_at)
        INSERT INTO {Quote(settings.StorageSchema)}.wolverine_incoming_envelopes
          (id, status, owner_id, attempts, body, message_type, received_at)
        SELECT id, 'Incoming', 0, 0, body, message_type, received_at FROM moved
        ON CONFLICT DO NOTHING
        """;

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>
    /// Each message type the module handles, and where it goes here: the local queue Wolverine names after the type,
    /// or after the handler when several handlers here take it (<c>MultipleHandlerBehavior.Separated</c>); a queue it
    /// did not declare (a handler that runs on its transport listener) it builds when the message arrives. A type another
    /// module handles too is the module's only at an address naming its handler or its transport queue (every module of
    /// the binary is asked: the other may run elsewhere).
    /// </summary>
    private IReadOnlyList<Route> RoutesOf(ModuleDefinition module)
    {
        var handledHere = settings.Modules.SelectMany(m => MessageEdges.HandledMessageTypes(m.Module.Assembly)).ToList();
        return MessageEdges.HandledMessageTypes(module.Assembly).Select(h =>
        {
            var handlerQueue = h.Handler.FullNameInCode().ToLowerInvariant();
            var target = handledHere.Count(o => o.Message == h.Message) > 1
                ? $"local://{handlerQueue}/"
                : $"local://{h.Message.ToMessageTypeName().Replace('+', '.').ToLowerInvariant()}/";
            var shared = available.All.Count(m => MessageEdges.HandledMessageTypes(m.Assembly).Any(o => o.Message == h.Message)) > 1;
            var queue = TransportSwitch.QueueName(module);
            var pattern = shared
                ? string.Join('|', new[] { handlerQueue, queue, queue.Replace('-', '_') }.Select(Regex.Escape))
                : "";
            return new Route(h.Message.ToMessageTypeName(), target, pattern);
        }).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over {Count} messages for {Module} left in {Schema} (ADR 0028)")]
    private static partial void TookOver(ILogger logger, int count, string module, string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for messages {Module} left in other stores; next round will: {Reason}")]
    private static partial void CouldNotLook(ILogger logger, string module, string reason);
}
