using System.Security.Claims;

namespace Modular.Sdk;

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
