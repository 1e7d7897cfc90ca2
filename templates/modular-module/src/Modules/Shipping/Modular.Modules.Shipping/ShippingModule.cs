using Marten;
using Modular.Sdk;

namespace Modular.Modules.Shipping;

/// <summary>Shipping's private Marten store: schema <c>shipping</c>.</summary>
public interface IShippingStore : IDocumentStore;

/// <summary>Shipping: say here what the module is responsible for.</summary>
public sealed class ShippingModule : ModuleDefinition<IShippingStore>
{
    public override string Name => "Shipping";

    public override IReadOnlyList<Permission> Permissions { get; } =
    [
        new(ShippingPermissions.Read, "Read shipments.", Roles.Staff),
        new(ShippingPermissions.Write, "Register shipments.", Roles.Staff),
    ];
}
