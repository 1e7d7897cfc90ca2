using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Persistence;
using Wolverine.Marten;

namespace Modular.Platform.Composition.Modules;

/// <summary>One Marten store per module: its own schema for documents and events, integrated with Wolverine's outbox.</summary>
internal sealed class ModuleStore(IServiceCollection services, string connectionString, bool applyChangesOnStartup) : IModuleStores
{
    public void Add<TStore>(ModuleDefinition module, Action<StoreOptions> configure) where TStore : class, IDocumentStore
    {
        var store = services.AddMartenStore<TStore>(provider =>
            {
                var options = new StoreOptions();
                options.Connection(provider.GetRequiredService<ConnectionPools>().Create(connectionString, sessionStateFree: true));
                options.DatabaseSchemaName = module.Schema;
                options.Events.DatabaseSchemaName = module.Schema;
                options.AutoCreateSchemaObjects = SchemaChanges.AutoCreate(applyChangesOnStartup);
                // One connection per session, i.e. per endpoint call or handled message: its reads and its commit share
                // one checkout (ADR 0015). After a database restart, the first session that meets a dead connection
                // fails (503 / retried) and every pool is cleared (ConnectionPools, ADR 0023).
                options.UseStickyConnectionLifetimes = true;
                // Who caused each change: the caller's subject, relayed by Wolverine into the outboxed session.
                options.Policies.ForAllDocuments(mapping => mapping.Metadata.LastModifiedBy.Enabled = true);
                options.Events.MetadataConfig.UserNameEnabled = true;
                configure(options);
                return options;
            })
            .IntegrateWithWolverine();
        if (applyChangesOnStartup) store.ApplyAllDatabaseChangesOnStartup();
    }
}
