namespace Modular.Modules.Ordering;

/// <summary>Ordering's permissions; which roles hold them is declared in <see cref="OrderingModule"/>.</summary>
public static class OrderingPermissions
{
    public const string Orders = "ordering:orders";

    /// <summary>Place, read and cancel anyone's orders, not only one's own.</summary>
    public const string AnyonesOrders = "ordering:anyones-orders";
}
