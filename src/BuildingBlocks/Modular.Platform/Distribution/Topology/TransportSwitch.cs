using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Wolverine;
using Wolverine.Postgresql;
using Wolverine.RabbitMQ;

namespace Modular.Platform.Distribution.Topology;

/// <summary>
/// Wires Wolverine for this process's place in the topology. An edge between modules of the same deployment
/// stays in-process (durable local queues, nothing to configure). An edge that crosses deployments is
/// published to the subscribing module's queue on the configured transport; with a transport named, every module
/// that handles another's messages listens on its queue wherever it runs. Queues are named after modules, so all
/// instances running a module (while it moves, those of both maps) compete for its messages, and the publisher
/// declares the queue, so a message sent while its consumer is down waits for it. Outbox and inbox are durable on
/// both sides.
/// </summary>
public static class TransportSwitch
{
    public const string RabbitMqConnectionStringName = "RabbitMQ";
    public const string QueueSchema = "wolverine_queues";

    /// <summary>Each subscribing module has its own queue; it lives where the module is deployed.</summary>
    public static string QueueName(ModuleDefinition module) => $"modular-{TopologyMap.Slug(module.Name)}";

    /// <summary>The broker's <c>amqp://</c> URI; missing or malformed stops the host with one line.</summary>
    public static Uri RabbitMqUri(IConfiguration configuration) =>
        Uri.TryCreate(configuration.GetConnectionString(RabbitMqConnectionStringName), UriKind.Absolute, out var uri)
            ? uri
            : throw new ModularConfigurationException(
                $"ConnectionStrings:{RabbitMqConnectionStringName} is not an amqp:// URI; the RabbitMQ transport needs one.");

    /// <summary>Edges whose publisher and subscriber live in different deployments.</summary>
    public static IReadOnlyList<MessageEdge> Crossing(TopologyMap map, IReadOnlyList<MessageEdge> edges) =>
        edges.Where(e => map.DeploymentOf(e.Publisher) is { } from && map.DeploymentOf(e.Subscriber) is { } to && from != to).ToList();

    /// <param name="edges">Every message edge of the modules (<see cref="MessageEdges"/>).</param>
    /// <param name="crossing">The edges that cross deployments (<see cref="Crossing"/>).</param>
    /// <param name="rabbitMq">The broker (<see cref="RabbitMqUri"/>), when the map's transport is RabbitMQ.</param>
    public static void Configure(WolverineOptions opts, TopologyMap map, IReadOnlyList<MessageEdge> edges, IReadOnlyList<MessageEdge> crossing,
        ModularOptions options, Uri? rabbitMq)
    {
        if (map.Transport == TransportKind.Local)
        {
            if (crossing.Count > 0)
                throw new ModularConfigurationException($"{crossing.Count} message edges cross deployments but the transport is {map.Transport}.");
            return;
        }

        // Explicit routes would otherwise replace the local routing of the same message types.
        opts.Policies.ConventionalLocalRoutingIsAdditive();
        opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
        opts.Policies.UseDurableInboxOnAllListeners();

        var outgoing = crossing.Where(e => map.Current.Runs(e.Publisher))
            .GroupBy(e => e.MessageType)
            .Select(g => (Type: g.Key, Targets: g.Select(e => e.Subscriber).Distinct().ToList()))
            .ToList();
        // Every module here listens on its queue, even when all its publishers are here too: while a module moves (ADR
        // 0028), the other map may send to it over the transport, and a queue nobody reads would keep those messages.
        var incoming = edges.Where(e => map.Current.Runs(e.Subscriber)).GroupBy(e => e.Subscriber)
            .Select(g => new Subscription(g.Key, crossing.Where(e => e.Subscriber == g.Key).ToList()))
            .ToList();

        switch (map.Transport)
        {
            case TransportKind.RabbitMQ:
                UseRabbitMq(opts, outgoing, incoming, options, rabbitMq!);
                break;
            case TransportKind.PostgreSQL:
                UsePostgresqlQueues(opts, outgoing, incoming, options);
                break;
            default:
                throw new ModularConfigurationException($"The transport {map.Transport} is not known.");
        }
    }

    /// <summary>A module of this deployment that handles other modules' messages, with the edges that come from elsewhere.</summary>
    private sealed record Subscription(ModuleDefinition Module, IReadOnlyList<MessageEdge> Crossing);

    // One method per transport: the runtime loads a transport's assemblies (RabbitMQ's client, say) when it compiles a
    // method that names their types, so a deployment loads only the transport it uses.
    private static void UseRabbitMq(WolverineOptions opts, List<(Type Type, List<ModuleDefinition> Targets)> outgoing,
        List<Subscription> incoming, ModularOptions options, Uri broker)
    {
        opts.UseRabbitMq(broker).AutoProvision()
            // The outbox deletes a message only once the broker confirms it has it (persisted): without
            // confirms a broker crash loses what was "sent" in its last moments.
            .ConfigureChannelCreation(channel =>
            {
                channel.PublisherConfirmationsEnabled = true;
                channel.PublisherConfirmationTrackingEnabled = true;
            })
            // Dead letters go to this deployment's database (listed and replayed by /api/admin/dead-letters,
            // kept across broker restarts), not to a broker queue of non-persistent messages.
            .DisableDeadLetterQueueing();
        foreach (var (type, targets) in outgoing)
            foreach (var target in targets)
                opts.Publish(p => p.Message(type).ToRabbitQueue(QueueName(target)));
        foreach (var module in incoming)
        {
            // One message per inbox write: Wolverine otherwise collects deliveries for 5 ms to batch them.
            var listener = opts.ListenToRabbitQueue(QueueName(module.Module)).MaximumParallelMessages(options.Parallelism)
                .MaximumMessagesToReceive(options.Topology.ReceiveBatchSize);
            foreach (var handler in StickyHandlers(module)) listener.AddStickyHandler(handler);
            // Durable (default): received messages go to the inbox first. Inline skips that write but
            // handles messages in arrival order on the consumer: one message retrying with backoff
            // holds back the ones behind it (see ADR 0006).
            if (options.Topology.Listener == RabbitMqListener.Inline) listener.ProcessInline();
        }
    }

    private static void UsePostgresqlQueues(WolverineOptions opts, List<(Type Type, List<ModuleDefinition> Targets)> outgoing,
        List<Subscription> incoming, ModularOptions options)
    {
        var polling = TimeSpan.FromMilliseconds(options.Topology.PollingMilliseconds);
        foreach (var (type, targets) in outgoing)
            foreach (var target in targets)
                opts.Publish(p => p.Message(type).ToPostgresqlQueue(QueueName(target).Replace('-', '_')));
        foreach (var module in incoming)
        {
            var listener = opts.ListenToPostgresqlQueue(QueueName(module.Module).Replace('-', '_')).PollingInterval(polling)
                .MaximumParallelMessages(options.Parallelism);
            foreach (var handler in StickyHandlers(module)) listener.AddStickyHandler(handler);
        }
    }

    /// <summary>
    /// Handlers that run right where the module's queue is received, instead of Wolverine forwarding each
    /// message into a local queue first (one transaction less per hop). Only classes whose every message
    /// comes from another deployment qualify: a sticky handler no longer sees messages published locally.
    /// </summary>
    private static IEnumerable<Type> StickyHandlers(Subscription subscription)
    {
        var arriving = subscription.Crossing.Select(e => e.MessageType).ToHashSet();
        return subscription.Crossing.Select(e => e.HandlerType).Distinct()
            .Where(handler => MessageEdges.HandledMessageTypes(handler.Assembly).Where(h => h.Handler == handler).All(h => arriving.Contains(h.Message)));
    }
}
