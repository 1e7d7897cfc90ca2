using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Distribution.Topology;
using Wolverine;

namespace Modular.Platform.Distribution.Operations;

/// <summary>One edge of the ledger: the module that sent, the message (its type's name), the module that handles it.</summary>
public sealed record LedgerEdge(string Sender, string Message, string Module);

/// <summary>
/// What this process counted on one edge since it started (<see cref="MessageLedger"/>); <see cref="Declared"/> is false
/// for an edge the module map does not have.
/// </summary>
public sealed record EdgeCounts(string Sender, string Message, string Module, long Sent, long Handled, long DeadLettered, bool Declared);

/// <summary>
/// The message ledger (ADR 0030): per edge — the sending module, the message, the handling module — how many messages this
/// process sent, handled and dead-lettered. A send is counted once the work that sent it committed (the handling of the
/// message its module's handler took, or the request its module answered without an error): the message is then in
/// the outbox or a durable local queue, however often the transport has to try. A handling is counted once committed,
/// a dead letter once stored: Wolverine reports both through its wire tap. Summed over every process by Prometheus
/// (<c>modular_ledger_sent_total</c>, <c>…_handled_total</c>, <c>…_dead_lettered_total</c>) and set against what
/// waits (<c>modular_ledger_waiting</c>), an edge balances: the rules in <c>deploy/prometheus</c> say when it does not.
/// Every handled message's edge is checked against the module map: an undeclared one is logged once and counted
/// (<c>modular_undeclared_edges_total</c>). The sending module travels in the <see cref="SenderHeader"/> header,
/// stamped by <see cref="SenderStamp"/>; the handling module is the one whose handler ran
/// (<see cref="ModuleHandlerTags.HandlerHeader"/>).
/// </summary>
public sealed partial class MessageLedger : IWireTap, IDisposable
{
    public const string MeterName = "Modular.Ledger";

    /// <summary>The module whose handler or request sent the message; kept across retries, relays and replays.</summary>
    public const string SenderHeader = "modular-sender";

    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<LedgerEdge, Counts> _edges = new();
    private readonly ConcurrentDictionary<string, string> _messageNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Uri, string?> _receivers = new();
    private readonly HashSet<LedgerEdge> _declared;
    private readonly HashSet<string> _modules;
    private readonly IServiceProvider _services;
    private readonly ILogger<MessageLedger> _logger;
    private readonly PendingSends _pending;
    private BacklogReader? _queues;

    public MessageLedger(TopologyMap topology, IReadOnlyList<MessageEdge> edges, AvailableModules available, PendingSends pending,
        IServiceProvider services, ILogger<MessageLedger> logger)
    {
        (_pending, _services, _logger) = (pending, services, logger);
        // A sender header naming no module of this system (written by something else on the broker) is no edge.
        _modules = available.All.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        pending.Committed = RecordSent;
        _declared = edges.Select(e => new LedgerEdge(e.Publisher.Name, e.MessageType.Name, e.Subscriber.Name)).ToHashSet();
        // Every declared edge this process has a side of starts at 0: Prometheus' increase() then counts its first
        // messages too, and a balance has both of its terms from the first scrape.
        foreach (var edge in _declared.Where(e => topology.Current.Modules.Any(m => m.Name == e.Sender || m.Name == e.Module)))
            _edges[edge] = new Counts(declared: true);

        var deployment = new KeyValuePair<string, object?>(Telemetry.DeploymentTag, topology.Current.Name);
        _meter.CreateObservableCounter("modular.ledger.sent", () => Measure(deployment, c => c.Sent), "{message}",
            "Messages sent on each edge, once the work that sent them committed");
        _meter.CreateObservableCounter("modular.ledger.handled", () => Measure(deployment, c => c.Handled), "{message}",
            "Messages handled on each edge (committed)");
        _meter.CreateObservableCounter("modular.ledger.dead_lettered", () => Measure(deployment, c => c.DeadLettered), "{message}",
            "Messages of each edge that failed for good");
        _meter.CreateObservableCounter("modular.undeclared.edges", () => Measure(deployment, c => c.Declared ? null : c.Handled), "{message}",
            "Messages handled on an edge the module map does not declare");
    }

    /// <summary>A send whose sender's work committed.</summary>
    private void RecordSent(PendingSends.Send send)
    {
        if (_modules.Contains(send.Sender) && ReceiverOf(send.Destination) is { } module) Interlocked.Increment(ref Count(new LedgerEdge(send.Sender, NameOf(send.MessageType), module)).Sent);
    }

    /// <summary>Each edge's counts in this process, for the operations page.</summary>
    public IReadOnlyList<EdgeCounts> Snapshot() => _edges
        .Select(e => new EdgeCounts(e.Key.Sender, e.Key.Message, e.Key.Module, Interlocked.Read(ref e.Value.Sent),
            Interlocked.Read(ref e.Value.Handled), Interlocked.Read(ref e.Value.DeadLettered), e.Value.Declared))
        .OrderBy(e => e.Sender, StringComparer.Ordinal).ThenBy(e => e.Message, StringComparer.Ordinal).ThenBy(e => e.Module, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// A committed handling: a module's handler ran (it named itself on the envelope), and what it sent is sent. Wolverine
    /// also calls this for a send, and for a message received over the transport and only relayed to local queues
    /// (counted where a handler takes it): neither has a handler.
    /// </summary>
    public ValueTask RecordSuccessAsync(Envelope envelope)
    {
        if (HandlerOf(envelope) is not { } handler) return ValueTask.CompletedTask;
        if (EdgeOf(envelope, handler) is { } handled) Interlocked.Increment(ref Count(handled).Handled);
        _pending.Commit(envelope);
        return ValueTask.CompletedTask;
    }

    /// <summary>Failed for good: stored as a dead letter.</summary>
    public ValueTask RecordFailureAsync(Envelope envelope, Exception exception)
    {
        if (EdgeOf(envelope, HandlerOf(envelope) ?? ReceiverOf(envelope.Destination)) is { } edge)
            Interlocked.Increment(ref Count(edge).DeadLettered);
        return ValueTask.CompletedTask;
    }

    private LedgerEdge? EdgeOf(Envelope envelope, string? module) =>
        module is not null && envelope.MessageType is { } type && envelope.Headers.TryGetValue(SenderHeader, out var sender)
        && sender is not null && _modules.Contains(sender)
            ? new LedgerEdge(sender, NameOf(type), module)
            : null;

    private string NameOf(string type) => _messageNames.GetOrAdd(type, MessageName);

    /// <summary>A message type's name from its Wolverine alias (its full name unless the type says otherwise).</summary>
    internal static string MessageName(string alias) => alias[(alias.LastIndexOfAny(['.', '+']) + 1)..];

    private static string? HandlerOf(Envelope envelope) =>
        envelope.Headers.TryGetValue(ModuleHandlerTags.HandlerHeader, out var module) ? module : null;

    /// <summary>The module a destination queue feeds (a module's transport queue, a handler's local queue); null for any other.</summary>
    private string? ReceiverOf(Uri? destination)
    {
        if (destination is null) return null;
        if (_receivers.TryGetValue(destination, out var known)) return known;
        _queues ??= _services.GetRequiredService<BacklogReader>();
        var module = _queues.ModuleOf(destination.ToString())?.Name;
        if (_queues.Ready) _receivers[destination] = module;
        return module;
    }

    private Counts Count(LedgerEdge edge)
    {
        if (_edges.TryGetValue(edge, out var counts)) return counts;
        var declared = edge.Sender == edge.Module || _declared.Contains(edge);
        counts = _edges.GetOrAdd(edge, _ => new Counts(declared));
        if (!declared && counts.FirstSeen()) LogUndeclared(_logger, edge.Sender, edge.Message, edge.Module);
        return counts;
    }

    private IEnumerable<Measurement<long>> Measure(KeyValuePair<string, object?> deployment, Func<Counts, long?> value)
    {
        foreach (var (edge, counts) in _edges)
        {
            if (value(counts) is not { } n) continue;
            yield return new(n, deployment, new(Telemetry.SenderTag, edge.Sender), new(Telemetry.MessageTag, edge.Message),
                new(Telemetry.ModuleTag, edge.Module));
        }
    }

    /// <summary>How the warning about an undeclared edge starts (the end-to-end suite fails a test whose processes log it).</summary>
    public const string UndeclaredEdgeLog = "Undeclared message edge:";

    [LoggerMessage(Level = LogLevel.Warning, Message = UndeclaredEdgeLog + " {Sender} sent {Message} to {Module}, which the module map does not declare")]
    private static partial void LogUndeclared(ILogger logger, string sender, string message, string module);

    public void Dispose() => _meter.Dispose();

    private sealed class Counts(bool declared)
    {
        public long Sent;
        public long Handled;
        public long DeadLettered;
        private int _seen;

        public bool Declared { get; } = declared;

        /// <summary>True once: when the edge is first met.</summary>
        public bool FirstSeen() => Interlocked.Exchange(ref _seen, 1) == 0;
    }

    /// <summary>
    /// Stamps each message a module sends with the module (<see cref="SenderHeader"/>): the module whose handler is
    /// running, else the module whose route the request is on. A message relayed, retried or replayed keeps the stamp it has.
    /// </summary>
    internal sealed class SenderStamp(ActiveModules modules, PendingSends pending) : IEnvelopeRule
    {
        private readonly HttpContextAccessor _request = new();

        public void Modify(Envelope envelope)
        {
            // Only a message sent from a handler or a request has a sending module.
        }

        public void ApplyCorrelation(IMessageContext originator, Envelope outgoing)
        {
            var request = _request.HttpContext;
            string? sender;
            if (outgoing.Headers.TryGetValue(SenderHeader, out var named))
            {
                // Relayed while a received message is handled (it was counted where it was first sent), or named by the
                // code that sends it (a replay: a new send on the same edge).
                if (originator.Envelope is not null) return;
                sender = named;
            }
            else
            {
                sender = originator.Envelope is { } incoming ? HandlerOf(incoming)
                    : request is not null ? modules.OwnerOfRoute(request.Request.Path)?.Name
                    : null;
                if (sender is null) return;
                outgoing.Headers[SenderHeader] = sender;
            }

            if (outgoing.MessageType is not { } type) return;
            var send = new PendingSends.Send(sender!, type, outgoing.Destination);
            if (originator.Envelope is { } handling) pending.Add(handling, send);
            else if (request is not null) pending.Add(request, send);
            else pending.Committed?.Invoke(send); // no transaction of a handler or request around it: sent now
        }
    }

    /// <summary>
    /// The ledger as Wolverine's wire tap where messages are handled, and the sender's stamp on every message.
    /// </summary>
    public static void Apply(WolverineOptions opts, ActiveModules modules)
    {
        var pending = new PendingSends();
        opts.MetadataRules.Add(new SenderStamp(modules, pending));
        opts.Services.AddSingleton(pending);
        opts.Services.AddSingleton<MessageLedger>();
        opts.Services.AddSingleton<IWireTap>(provider => provider.GetRequiredService<MessageLedger>());
        // Where messages are handled: transport listeners and local queues (sends are counted by PendingSends).
        opts.Policies.AllListeners(listener => listener.UseWireTap());
        opts.Policies.AllLocalQueues(queue => queue.UseWireTap());
    }
}

/// <summary>
/// What the handling of a message, or a request, has sent so far: counted as sent once that work committed — the
/// handling succeeded (each attempt sends afresh: only the successful attempt's count), or the request was answered
/// below 400. Work that fails leaves its sends here, and they go with it.
/// </summary>
public sealed class PendingSends
{
    public sealed record Send(string Sender, string MessageType, Uri? Destination);

    private sealed record Attempted(int Attempt, Send Send);

    private readonly ConditionalWeakTable<Envelope, List<Attempted>> _handlings = new();

    /// <summary>Where committed sends go (the ledger).</summary>
    public Action<Send>? Committed { get; set; }

    public void Add(Envelope handling, Send send)
    {
        var sends = _handlings.GetOrCreateValue(handling);
        lock (sends) sends.Add(new Attempted(handling.Attempts, send));
    }

    public void Add(HttpContext request, Send send)
    {
        if (request.Items[typeof(PendingSends)] is not List<Send> sends)
        {
            request.Items[typeof(PendingSends)] = sends = [];
            request.Response.OnCompleted(() =>
            {
                if (request.Response.StatusCode < 400)
                    foreach (var committed in sends) Committed?.Invoke(committed);
                return Task.CompletedTask;
            });
        }

        sends.Add(send);
    }

    /// <summary>The handling of <paramref name="handling"/> committed: what its last attempt sent is sent.</summary>
    public void Commit(Envelope handling)
    {
        if (!_handlings.TryGetValue(handling, out var sends)) return;
        _handlings.Remove(handling);
        lock (sends)
            foreach (var attempted in sends.Where(a => a.Attempt == handling.Attempts)) Committed?.Invoke(attempted.Send);
    }
}
