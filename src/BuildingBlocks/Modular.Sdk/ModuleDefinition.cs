using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Modular.Sdk;

/// <summary>
/// A business capability: its name, its private schema, its Marten store, its services and
/// (found by Wolverine in its assembly) its HTTP endpoints and message handlers.
/// Derive from <see cref="ModuleDefinition{TStore}"/>; the Host lists the modules it can run.
/// </summary>
public abstract class ModuleDefinition
{
    /// <summary>PascalCase name, e.g. "Catalog". Used in configuration, OpenAPI tags and logs.</summary>
    public abstract string Name { get; }

    /// <summary>The module's private PostgreSQL schema: documents, events and nothing else.</summary>
    public virtual string Schema => Name.ToLowerInvariant();

    /// <summary>Every HTTP route of the module starts with this, so a gateway can forward it whole.</summary>
    public string RoutePrefix => $"/api/{Name.ToLowerInvariant()}";

    /// <summary>The internals assembly: handlers, endpoints, documents.</summary>
    public System.Reflection.Assembly Assembly => GetType().Assembly;

    /// <summary>The module's <c>I&lt;Name&gt;Store</c> marker interface.</summary>
    public abstract Type StoreType { get; }

    /// <summary>Configuration key of a connection string of the module's own; falls back to the shared one.</summary>
    public string ConnectionStringName => Name;

    /// <summary>What callers may do in this module, and which roles may (ADR 0013). Each is an authorization policy.</summary>
    public virtual IReadOnlyList<Permission> Permissions => [];

    /// <summary>What a write that breaks one of the module's unique indexes is answered (409), by index name.</summary>
    public virtual IReadOnlyList<UniqueValue> UniqueValues => [];

    /// <summary>Hook for registrations the convention scan cannot express.</summary>
    protected internal virtual void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    internal abstract void AddStore(IModuleStores stores);

    public override string ToString() => Name;
}

/// <summary>A module whose data lives in its own Marten store <typeparamref name="TStore"/>.</summary>
public abstract class ModuleDefinition<TStore> : ModuleDefinition where TStore : class, IDocumentStore
{
    public sealed override Type StoreType => typeof(TStore);

    /// <summary>Register the module's documents, indexes and projections. Schema names are set for you.</summary>
    protected virtual void ConfigureStore(StoreOptions options)
    {
    }

    internal sealed override void AddStore(IModuleStores stores) => stores.Add<TStore>(this, ConfigureStore);
}

/// <summary>Where a module's store is registered: the platform's side of <see cref="ModuleDefinition{TStore}"/>.</summary>
internal interface IModuleStores
{
    void Add<TStore>(ModuleDefinition module, Action<StoreOptions> configure) where TStore : class, IDocumentStore;
}
