using JasperFx.CodeGeneration;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Fencing;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Persistence;
using Modular.Platform.Composition.Security;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

namespace Modular.Platform.Composition.Messaging;

/// <summary>Wolverine as every deployment runs it, whatever the transport between deployments (that is <c>TransportSwitch</c>).</summary>
internal static class ModuleMessaging
{
    /// <param name="ServiceName">Wolverine's service name: <c>modular-&lt;deployment&gt;</c>.</param>
    /// <param name="StorageSchema">The deployment's own envelope storage (inbox, outbox, dead letters).</param>
    /// <param name="QueueSchema">The PostgreSQL transport's queue tables, shared by every deployment.</param>
    /// <param name="ConnectionString">The deployment's shared connection (its messaging role's login).</param>
    public sealed record Settings(string ServiceName, string StorageSchema, string QueueSchema, string ConnectionString,
        TypeLoadMode CodeGeneration, DurabilityMode DurabilityMode, IConfigurationSection? Durability, int Parallelism,
        bool ApplyChangesOnStartup);

    /// <summary>The settings of Wolverine's modular-monolith guide, applied to the selected modules only.</summary>
    public static void Configure(WolverineOptions opts, ActiveModules modules, Settings settings)
    {
        opts.ApplicationAssembly = System.Reflection.Assembly.GetEntryAssembly();
        // Dynamic (default): handlers compiled at start-up by Roslyn. Static: the code `codegen write` put into
        // the Host at build time (Release images): fast start, no compiler in memory.
        opts.CodeGeneration.TypeLoadMode = settings.CodeGeneration;
        if (opts.CodeGeneration.TypeLoadMode != TypeLoadMode.Static) opts.UseRuntimeCompilation();

        // One handler per message type and module, each in its own transaction; inbox keyed by id + destination.
        opts.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
        opts.Durability.MessageIdentity = MessageIdentity.IdAndDestination;
        opts.ServiceName = settings.ServiceName;
        opts.Durability.MessageStorageSchemaName = settings.StorageSchema;
        opts.Durability.Mode = settings.DurabilityMode;
        // A message stored but left behind by a live process (a send that failed while the database restarted, a
        // hand-over to a local queue cut short) is taken up again by the durability agent once it is this old.
        // Messages a process still holds in memory (queued, running, retrying) keep their clock fresh and stay put.
        opts.Durability.OutboxStaleTime = TimeSpan.FromSeconds(30);
        opts.Durability.InboxStaleTime = TimeSpan.FromSeconds(30);
        // Wolverine's own durability knobs, e.g. how soon a dead instance's persisted messages pass to a live one
        // (Modular:Durability:StaleNodeTimeout, default 1 min; HealthCheckPollingTime, the heartbeat, 10 s).
        settings.Durability?.Bind(opts.Durability);
        opts.Policies.AutoApplyTransactions();
        opts.Policies.UseDurableLocalQueues();
        // Handlers wait on PostgreSQL, not on CPU: Wolverine's default (one message per core) starves them.
        opts.Policies.AllLocalQueues(queue => queue.MaximumParallelMessages(settings.Parallelism));

        // Two handlers racing on one document or stream: the loser retries on fresh data.
        opts.OnException(WriteConflicts.IsConflict, "write conflict").RetryWithCooldown(WriteConflicts.Cooldown);
        // A module fenced while its data moves: the message waits and is tried again, as often as it takes (ADR 0029).
        ModuleFences.Apply(opts);
        // A database restarting or a broker connection dropping: retried with backoff before anything is dead-lettered.
        TransientFaults.Apply(opts);
        // The authenticated caller of a request travels with every message it causes, across processes (ADR 0013).
        CallerRelay.Apply(opts);

        // The main store only carries Wolverine's envelope storage (and the PostgreSQL transport's queue
        // tables, shared by all deployments); module data lives in module stores.
        var applyChanges = settings.ApplyChangesOnStartup;
        if (!applyChanges) opts.AutoBuildMessageStorageOnStartup = JasperFx.AutoCreate.None;
        opts.Services.AddMarten(provider =>
        {
            var store = new StoreOptions();
            store.Connection(provider.GetRequiredService<ConnectionPools>().Create(settings.ConnectionString));
            store.DatabaseSchemaName = settings.StorageSchema;
            store.AutoCreateSchemaObjects = SchemaChanges.AutoCreate(applyChanges);
            return store;
        }).IntegrateWithWolverine(integration => integration.TransportSchemaName = settings.QueueSchema);

        foreach (var module in modules.All)
        {
            opts.Discovery.IncludeAssembly(module.Assembly);
            opts.Policies.UseAncillaryStorageFromAssembly(module.StoreType, module.Assembly);
        }

        // Databases are migrated by each store (ApplyAllDatabaseChangesOnStartup) and by Wolverine's runtime at
        // start, unless SchemaChanges says a release step did it; broker queues are declared by the runtime too
        // (AutoProvision). No resource setup at start, so a broker that is down does not fail the host before
        // BrokerGate can wait for it.
    }
}
