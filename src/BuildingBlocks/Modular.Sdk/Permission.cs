namespace Modular.Sdk;

/// <summary>
/// Something a caller may do, declared by the module that owns it (<c>catalog:write</c>), with the roles it is granted
/// to. Its name is also the name of the authorization policy an endpoint asks for: <c>[Authorize(CatalogPermissions.Write)]</c>.
/// A token may also carry a permission directly in its <c>scope</c> (an OpenID Connect client-credentials token).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A permission is what it is; it is no CAS permission type.")]
public sealed record Permission(string Name, string Description, params string[] GrantedTo);
