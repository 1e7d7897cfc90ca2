using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Security;

/// <summary>
/// JWT bearer authentication on every deployment, and one authorization policy per permission the modules declare.
/// Two sources of tokens (ADR 0013): an OpenID Connect issuer (<c>Modular:Authentication:Authority</c>; keys from its
/// JWKS, rotation followed), or the embedded issuer's key (<see cref="EmbeddedIssuer"/>). Issuer, audience,
/// lifetime and signature are always validated; <c>alg: none</c> never passes.
/// </summary>
public static class ModularAuthentication
{
    public const string Section = "Modular:Authentication";

    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <param name="cacheValidatedTokens">Validate each distinct token once (<see cref="ValidatedTokens"/>); false only in bench/budget.sh's A/B.</param>
    public static void AddModularAuthentication(this IServiceCollection services, AuthenticationOptions settings,
        IHostEnvironment environment, IEnumerable<ModuleDefinition> modules, bool cacheValidatedTokens = true)
    {
        var authority = settings.Authority;
        var audience = settings.Audience is { Length: > 0 } a ? a : EmbeddedIssuer.DefaultAudience;
        EmbeddedIssuer? embedded = null;
        if (string.IsNullOrWhiteSpace(authority))
        {
            embedded = EmbeddedIssuer.Configured(settings)
                ?? (environment.IsDevelopment() ? EmbeddedIssuer.FromFile(EmbeddedIssuer.DevelopmentKeyFile)
                : throw new ModularConfigurationException(
                    $"{Section}: set Authority (an OpenID Connect issuer) or SigningKey / SigningKeyFile (the embedded issuer's key)."));
            services.AddSingleton(embedded);
        }

        var roles = new RoleClaims(settings.RoleClaim);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            if (roles.Maps)
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity) roles.AddTo(identity);
                        return Task.CompletedTask;
                    },
                };

            jwt.MapInboundClaims = false; // "sub", "role", "scope" as the token says them
            if (cacheValidatedTokens)
            {
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new ValidatedTokens(TimeProvider.System)); // the same validation, once per distinct token
            }

            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidAudience = audience,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = PermissionGrants.SubjectClaim,
                RoleClaimType = PermissionGrants.RoleClaim,
            };
            if (embedded is not null)
            {
                jwt.TokenValidationParameters.ValidIssuer = EmbeddedIssuer.Issuer;
                jwt.TokenValidationParameters.IssuerSigningKeys = embedded.Keys; // all of them: a rotation is under way
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            else
            {
                jwt.Authority = authority;
                // An issuer's tokens are signed with its published asymmetric keys: no HMAC (key confusion), no "none";
                // and only the token types configured (an ID token or a refresh token is not an access token).
                jwt.TokenValidationParameters.ValidAlgorithms = AsymmetricAlgorithms;
                jwt.TokenValidationParameters.ValidTypes = settings.TokenTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (settings.MetadataAddress is { Length: > 0 } metadata) jwt.MetadataAddress = metadata;
                jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                jwt.RefreshOnIssuerKeyNotFound = true; // a token signed with a key the issuer just rotated in
                // How soon a key the issuer rotated out stops being accepted, and how often an unknown key may trigger
                // a fetch of the JWKS (a flood of forged kids must not become a flood of requests to the issuer).
                var refresh = settings.MetadataRefreshInterval;
                jwt.AutomaticRefreshInterval = refresh >= TimeSpan.FromMinutes(5) ? refresh
                    : throw new ModularConfigurationException($"{Section}:MetadataRefreshInterval is {refresh}; the least the token library allows is 00:05:00.");
                jwt.RefreshInterval = settings.KeyRefreshMinimum;
            }
        });

        if (embedded is null)
            // Once the host has the issuer's current keys, a key the issuer retired is refused at once: no falling back
            // to the "last known good" key set, which would keep accepting it for up to an hour (ADR 0013).
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                if (jwt.ConfigurationManager is BaseConfigurationManager keys) keys.UseLastKnownGoodConfiguration = false;
            });

        var grants = new PermissionGrants(PlatformPermissions.All.Concat(modules.SelectMany(m => m.Permissions)));
        services.AddSingleton(grants);
        services.AddAuthorization(authorization =>
        {
            authorization.DefaultPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build();
            foreach (var permission in grants.All)
                authorization.AddPolicy(permission.Name, policy => policy
                    .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => grants.Allows(context.User, permission.Name)));
        });
    }
}
