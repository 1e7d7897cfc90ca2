namespace Modular.Modules.Shipping;

/// <summary>Shipping's permissions; which roles hold them is declared in <see cref="ShippingModule"/>.</summary>
public static class ShippingPermissions
{
    public const string Read = "shipping:read";
    public const string Write = "shipping:write";
}
