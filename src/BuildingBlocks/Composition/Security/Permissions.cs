using System.Security.Claims;
using Modular.BuildingBlocks.Composition.Modules;

namespace Modular.BuildingBlocks.Composition.Security;

/// <summary>
/// The roles of the reference model (issue 11): a <see cref="Customer"/> shops for themself, <see cref="Staff"/>
/// runs the shop, an <see cref="Admin"/> runs the system. Tokens carry roles; modules say what each role may do.
/// </summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Staff = "staff";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Customer, Staff, Admin];
}

/// <summary>The permissions of the platform itself: the admin API every deployment serves.</summary>
public static class PlatformPermissions
{
    public const string Admin = "platform:admin";

    public static IReadOnlyList<Permission> All { get; } =
    [
        new(Admin, "Dead letters, pending messages, the module map, test doubles' settings.", Roles.Admin),
    ];
}

/// <summary>Who may do what: the union of the modules' declarations, read against a caller's claims.</summary>
public sealed class PermissionGrants(IEnumerable<Permission> permissions)
{
    public const string RoleClaim = "role";
    public const string ScopeClaim = "scope";
    public const string SubjectClaim = "sub";

    public IReadOnlyList<Permission> All { get; } = permissions.ToList();

    public bool Allows(ClaimsPrincipal user, string permission)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        if (user.FindAll(ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(permission))
            return true;
        var roles = user.FindAll(RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return All.Any(p => p.Name == permission && p.GrantedTo.Any(roles.Contains));
    }
}

/// <summary>
/// Whose data a caller may touch: their own (the token's subject is the customer id), or anyone's with the permission
/// that says so. A use case that finds another's data answers 404, not 403: it does not tell that it exists.
/// </summary>
public static class Ownership
{
    public static string SubjectOf(ClaimsPrincipal user) => user.FindFirst(PermissionGrants.SubjectClaim)?.Value ?? "";

    /// <summary>Whether <paramref name="user"/> may act for <paramref name="owner"/>: it is them, or they hold <paramref name="forAnyone"/>.</summary>
    public static bool ActsFor(this PermissionGrants grants, ClaimsPrincipal user, string owner, string forAnyone) =>
        grants.Allows(user, forAnyone) || (owner.Length > 0 && string.Equals(SubjectOf(user), owner.Trim(), StringComparison.Ordinal));
}
