namespace Modular.Modules.Catalog;

/// <summary>Catalog's permissions; which roles hold them is declared in <see cref="CatalogModule"/>.</summary>
public static class CatalogPermissions
{
    public const string Read = "catalog:read";
    public const string Write = "catalog:write";
}
