namespace Modular.Platform.Distribution.Operations;

/// <summary>One message store's persisted envelopes (the deployment's own, or a module's in its own database).</summary>
public sealed record StoreCounts(string Store, int Incoming, int Scheduled, int Outgoing, int DeadLetters);

/// <summary>A transport queue this deployment listens to, and how many messages wait in it.</summary>
public sealed record QueueCount(string Queue, long Waiting);

/// <summary>
/// What this deployment still has to do: messages waiting in the transport queues it listens to, received but
/// not handled, scheduled for later, or not yet sent, and (<see cref="HeldElsewhere"/>) messages for its modules that
/// other deployments' stores still hold, which it takes over once no live process holds them (a module that moved,
/// docs/adr/0028). <see cref="Drained"/>: none of these, on every instance. <see cref="Modules"/> splits this
/// deployment's own by the module each message is for.
/// </summary>
public sealed record PendingMessages(long Queued, int Incoming, int Scheduled, int Outgoing, int HeldElsewhere, int DeadLetters,
    bool Drained, IReadOnlyList<QueueCount> Queues, IReadOnlyList<StoreCounts> Stores, IReadOnlyList<ModuleBacklog> Modules);
