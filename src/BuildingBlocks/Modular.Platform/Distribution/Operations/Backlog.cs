using JasperFx.Core.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Health;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution.Topology;
using Npgsql;
using RabbitMQ.Client;
using Wolverine.Postgresql.Transport;
using Wolverine.RabbitMQ.Internal;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// One module's unfinished messages in this deployment: received but not handled, scheduled for later, waiting to be
/// sent to it (outbox), failed for good (dead letters), and waiting in its transport queue.
/// </summary>
/// <see cref="Waiting"/>: by message (its type's name), what is stored here and not finished (received, scheduled or to
/// be sent): the message ledger's <c>waiting</c>. What waits in a transport queue is counted per module only.
public sealed record ModuleBacklog(string Module, int Incoming, int Scheduled, int Outgoing, int DeadLetters, long Queued,
    IReadOnlyDictionary<string, int> Waiting);

/// <summary>
/// Reads the backlog per module from this deployment's envelope tables and transport queues. Every stored envelope
/// names its queue (<c>received_at</c>, <c>destination</c>), and a queue belongs to one module (see <see cref="ModuleOf"/>).
/// What belongs to no single module (framework queues, a scheduled event several modules handle) is left out here;
/// the totals of <c>/api/admin/messages</c> still count it.
/// </summary>
public sealed class BacklogReader(IWolverineRuntime runtime, HandlerGraph handlers, IServiceProvider services, AvailableModules available,
    ActiveModules modules, TopologyMap topology, BacklogReader.Source source)
{
    private Dictionary<string, ModuleDefinition>? _owners;

    /// <summary>Where this deployment's envelopes are stored.</summary>
    public sealed record Source(string ConnectionString, string Schema);

    /// <summary>A down database or broker fails the read fast, not the caller's patience.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <param name="queues">The transport queues' depths, when the caller has just counted them.</param>
    public async Task<IReadOnlyList<ModuleBacklog>> ReadAsync(CancellationToken ct, IReadOnlyList<QueueCount>? queues = null)
    {
        var counts = new Dictionary<string, (int Incoming, int Scheduled, int Outgoing, int DeadLetters, long Queued)>();
        var waiting = new Dictionary<string, Dictionary<string, int>>();
        void Add(string? queue, int incoming = 0, int scheduled = 0, int outgoing = 0, int dead = 0, long queued = 0, string? message = null)
        {
            if (ModuleOf(queue) is not { } module) return;
            var c = counts.GetValueOrDefault(module.Name);
            counts[module.Name] = (c.Incoming + incoming, c.Scheduled + scheduled, c.Outgoing + outgoing, c.DeadLetters + dead, c.Queued + queued);
            if (message is null || incoming + scheduled + outgoing == 0) return;
            if (!waiting.TryGetValue(module.Name, out var byMessage)) waiting[module.Name] = byMessage = new(StringComparer.Ordinal);
            var name = MessageLedger.MessageName(message);
            byMessage[name] = byMessage.GetValueOrDefault(name) + incoming + scheduled + outgoing;
        }

        var builder = new NpgsqlConnectionStringBuilder(source.ConnectionString)
        {
            Timeout = (int)Patience.TotalSeconds, CommandTimeout = (int)Patience.TotalSeconds,
        };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(ct);
            var schema = source.Schema;
            await using var command = new NpgsqlCommand($"""
                select received_at, status, message_type, count(*) from "{schema}".wolverine_incoming_envelopes
                  where status <> 'Handled' group by received_at, status, message_type;
                select destination, message_type, count(*) from "{schema}".wolverine_outgoing_envelopes group by destination, message_type;
                select received_at, count(*) from "{schema}".wolverine_dead_letters where archived_at is null group by received_at;
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var n = (int)reader.GetInt64(3);
                if (reader.GetString(1) == "Scheduled") Add(Text(reader, 0), scheduled: n, message: Text(reader, 2));
                else Add(Text(reader, 0), incoming: n, message: Text(reader, 2));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) Add(Text(reader, 0), outgoing: (int)reader.GetInt64(2), message: Text(reader, 1));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) Add(Text(reader, 0), dead: (int)reader.GetInt64(1));
        }

        foreach (var queue in queues ?? await CountTransportQueuesAsync(ct)) Add(queue.Queue, queued: queue.Waiting);

        return topology.Current.Modules.Select(m => m.Name).Union(counts.Keys).Order(StringComparer.Ordinal)
            .Select(name =>
            {
                var c = counts.GetValueOrDefault(name);
                return new ModuleBacklog(name, c.Incoming, c.Scheduled, c.Outgoing, c.DeadLetters, c.Queued,
                    waiting.TryGetValue(name, out var byMessage) ? byMessage : new Dictionary<string, int>());
            })
            .ToList();
    }

    /// <summary>The transport queues this deployment listens to, and how many messages wait in each.</summary>
    public async Task<IReadOnlyList<QueueCount>> CountTransportQueuesAsync(CancellationToken ct)
    {
        var queues = new List<QueueCount>();
        var listeners = runtime.Options.Transports.AllEndpoints().Where(e => e.IsListener).ToList();
        foreach (var queue in listeners.OfType<PostgresqlQueue>())
            queues.Add(new QueueCount(queue.Uri.ToString(), await queue.CountAsync() + await queue.ScheduledCountAsync()));
        // Local queues are durable: their messages are the store's incoming ones.
        if (listeners.OfType<RabbitMqQueue>().ToList() is { Count: > 0 } rabbit)
            queues.AddRange(await CountRabbitMqAsync(services.GetRequiredService<RabbitMqHealthCheck.Target>().Broker, rabbit, ct));
        return queues;
    }

    /// <summary>The module a queue (its URI as Wolverine stores it) delivers to, if one module alone.</summary>
    public ModuleDefinition? ModuleOf(string? queue)
    {
        if (string.IsNullOrEmpty(queue)) return null;
        var name = queue.TrimEnd('/');
        return Owners().GetValueOrDefault(name[(name.LastIndexOf('/') + 1)..].ToLowerInvariant());
    }

    /// <summary>Whether <see cref="ModuleOf"/> answers for good: Wolverine has built its handler graph.</summary>
    internal bool Ready => _owners is not null;

    /// <summary>Kept once Wolverine has built its handler graph (a read before the runtime started finds it empty).</summary>
    private Dictionary<string, ModuleDefinition> Owners()
    {
        if (_owners is { } known) return known;
        var owners = FindOwners(handlers, available, modules);
        if (handlers.Chains.Length > 0) _owners = owners;
        return owners;
    }

    /// <summary>
    /// Queue name → module: a transport queue is named after the module it feeds; a local queue after the handler type
    /// it runs (one per handler), or after the message type (a message scheduled for later waits there), which
    /// belongs to a module when that module alone handles it.
    /// </summary>
    private static Dictionary<string, ModuleDefinition> FindOwners(HandlerGraph handlers, AvailableModules available, ActiveModules modules)
    {
        var owners = new Dictionary<string, HashSet<ModuleDefinition>>();
        void Own(string name, ModuleDefinition module)
        {
            if (!owners.TryGetValue(name, out var set)) owners[name] = set = [];
            set.Add(module);
        }

        foreach (var module in available.All)
        {
            Own(TransportSwitch.QueueName(module), module);
            Own(TransportSwitch.QueueName(module).Replace('-', '_'), module);
        }

        foreach (var chain in handlers.Chains.SelectMany(c => c.ByEndpoint.Prepend(c)))
            foreach (var handler in chain.Handlers)
            {
                if (modules.FindByAssembly(handler.HandlerType.Assembly) is not { } module) continue;
                Own(handler.HandlerType.FullNameInCode().ToLowerInvariant(), module);
                Own(chain.MessageType.FullNameInCode().ToLowerInvariant(), module);
            }

        return owners.Where(o => o.Value.Count == 1).ToDictionary(o => o.Key, o => o.Value.Single());
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>
    /// Queue depths over a connection of its own: Wolverine's channels may be the ones a broker restart closed (its
    /// queue count then failed for minutes while messages flowed again), and an admin call must not depend on them.
    /// </summary>
    private static async Task<IEnumerable<QueueCount>> CountRabbitMqAsync(Uri broker, IReadOnlyList<RabbitMqQueue> queues, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = broker, RequestedConnectionTimeout = Patience };
        await using var connection = await factory.CreateConnectionAsync("modular-backlog", ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var counts = new List<QueueCount>();
        foreach (var queue in queues)
            counts.Add(new QueueCount(queue.Uri.ToString(), (await channel.QueueDeclarePassiveAsync(queue.QueueName, ct)).MessageCount));
        return counts;
    }
}
