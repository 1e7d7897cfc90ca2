using System.Security.Claims;
using System.Text.Json;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Security;

/// <summary>
/// Where an issuer puts a user's roles, read into the <c>role</c> claims permissions are checked against
/// (<see cref="PermissionGrants"/>): <c>Modular:Authentication:RoleClaim</c> names a claim (<c>roles</c>, as Entra ID
/// sends app roles) or a path into a JSON claim (<c>realm_access.roles</c>, as Keycloak sends realm roles).
/// </summary>
internal sealed class RoleClaims
{
    private readonly string[] _path;

    public RoleClaims(string path)
    {
        _path = path.Split('.', StringSplitOptions.TrimEntries);
        if (_path.Any(segment => segment.Length == 0))
            throw new ModularConfigurationException(
                $"{ModularAuthentication.Section}:RoleClaim '{path}' is not a claim name or a path such as realm_access.roles.");
    }

    /// <summary>Whether roles are read from somewhere other than the <c>role</c> claim itself.</summary>
    public bool Maps => _path is not [PermissionGrants.RoleClaim];

    /// <summary>Adds a <c>role</c> claim for each role the token holds at the configured place.</summary>
    public void AddTo(ClaimsIdentity identity)
    {
        var roles = identity.FindAll(_path[0]).SelectMany(claim => _path.Length == 1 ? [claim.Value] : Nested(claim.Value)).ToList();
        foreach (var role in roles.Distinct(StringComparer.Ordinal))
            if (!identity.HasClaim(PermissionGrants.RoleClaim, role)) identity.AddClaim(new Claim(PermissionGrants.RoleClaim, role));
    }

    private List<string> Nested(string json)
    {
        if (!json.StartsWith('{')) return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var segment in _path[1..])
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element)) return [];
            return element.ValueKind switch
            {
                JsonValueKind.String => [element.GetString()!],
                JsonValueKind.Array => [.. element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return []; // not JSON after all: no roles from it
        }
    }
}
