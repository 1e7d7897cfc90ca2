using System.Security.Claims;

namespace Modular.Sdk;

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
        if (SpeaksForItself(user) &&
            user.FindAll(ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(permission))
            return true;
        var roles = user.FindAll(RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return All.Any(p => p.Name == permission && p.GrantedTo.Any(roles.Contains));
    }

    /// <summary>
    /// Whether the token is a client's own (client credentials: no subject, or the subject is the client, RFC 9068).
    /// Only then does its <c>scope</c> grant permissions: in a user's token the scope says what the client asked for,
    /// and a user-facing client may ask for any registered scope — the user's roles decide.
    /// </summary>
    private static bool SpeaksForItself(ClaimsPrincipal user) => Caller.Of(user) is var caller && (caller.Subject is null || caller.Subject == caller.ClientId);
}
