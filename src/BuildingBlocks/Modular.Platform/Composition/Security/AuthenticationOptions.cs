namespace Modular.Platform.Composition.Security;

/// <summary><c>Modular:Authentication</c>: where tokens come from and what they must say (ADR 0013).</summary>
public sealed class AuthenticationOptions
{
    /// <summary>An OpenID Connect issuer: tokens are validated against its JWKS. Unset: the embedded issuer.</summary>
    public string? Authority { get; set; }

    /// <summary>Where the issuer's metadata is, when not at the Authority's well-known address.</summary>
    public string? MetadataAddress { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How often the issuer's keys are fetched anyway (at least 5 minutes).</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The least time between fetches a token with an unknown key may cause.</summary>
    public TimeSpan KeyRefreshMinimum { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where a token's roles are: a claim (<c>role</c>; Entra ID: <c>roles</c>) or a path into a JSON claim
    /// (Keycloak: <c>realm_access.roles</c>).</summary>
    public string RoleClaim { get; set; } = PermissionGrants.RoleClaim;

    /// <summary>With an Authority: the token types (JWT header <c>typ</c>) accepted, comma-separated. RFC 9068 access
    /// tokens say <c>at+jwt</c>; Keycloak's and Entra ID's say <c>JWT</c>, as ID tokens do — where the issuer writes
    /// <c>at+jwt</c>, accept only that.</summary>
    public string TokenTypes { get; set; } = "at+jwt,JWT";

    /// <summary>The audience every token must name.</summary>
    public string Audience { get; set; } = EmbeddedIssuer.DefaultAudience;

    /// <summary>The embedded issuer's HS256 key, base64.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding the embedded issuer's key (made when missing).</summary>
    public string? SigningKeyFile { get; set; }
}
