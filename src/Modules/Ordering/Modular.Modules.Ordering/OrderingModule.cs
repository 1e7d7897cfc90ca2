using JasperFx.Events.Projections;
using Marten;
using Modular.Sdk;

namespace Modular.Modules.Ordering;

/// <summary>Ordering's private Marten store: schema <c>ordering</c>, event streams per order.</summary>
public interface IOrderingStore : IDocumentStore;

/// <summary>Orders (event-sourced) and Ordering's own read model of the catalog.</summary>
public sealed class OrderingModule : ModuleDefinition<IOrderingStore>
{
    public override string Name => "Ordering";

    public override IReadOnlyList<Permission> Permissions { get; } =
    [
        new(OrderingPermissions.Orders, "Place, read and cancel one's own orders.", Roles.Customer, Roles.Staff),
        new(OrderingPermissions.AnyonesOrders, "Place, read and cancel anyone's orders.", Roles.Staff),
    ];

    protected override void ConfigureStore(StoreOptions options)
    {
        // The Order document is the stream's snapshot, updated in the same transaction as the events.
        options.Projections.Snapshot<Order>(SnapshotLifecycle.Inline);
        options.Schema.For<Order>().Index(o => o.CustomerId);
        options.Schema.For<CatalogProduct>().UseOptimisticConcurrency(true);
    }
}
