using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// A real OpenID Connect issuer (OpenIddict's server, no database) on a loopback port: discovery document, JWKS and
/// a token endpoint issuing client-credentials access tokens as signed JWTs for the resource (audience) asked for.
/// Its signing keys are given at start; restarting it with other keys on the same address is a key rotation.
/// </summary>
public sealed class OpenIdIssuer : IAsyncDisposable
{
    public const string ClientId = "shop-backend";
    public const string ClientSecret = "test-only-secret";

    private readonly WebApplication _app;

    private OpenIdIssuer(WebApplication app, Uri url, RsaSecurityKey signingKey)
    {
        _app = app;
        Url = url;
        SigningKey = signingKey;
    }

    /// <summary>The key it signs with (a test can sign a token of another kind with it).</summary>
    public RsaSecurityKey SigningKey { get; }

    public Uri Url { get; }

    /// <summary>Starts an issuer at <paramref name="port"/>; it signs with the first key and publishes all of them.</summary>
    public static async Task<OpenIdIssuer> StartAsync(int port, IReadOnlyList<RsaSecurityKey> keys, IEnumerable<string> scopes)
    {
        var url = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(url);
            options.SetTokenEndpointUris("connect/token");
            options.AllowClientCredentialsFlow();
            options.RegisterScopes([.. scopes]);
            options.EnableDegradedMode(); // no application or token store: the two handlers below decide
            options.DisableAccessTokenEncryption(); // a JWT any resource server can validate with the JWKS
            foreach (var key in keys) options.AddSigningKey(key);
            options.AddEphemeralEncryptionKey();
            options.UseAspNetCore().DisableTransportSecurityRequirement();
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                    context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
                // A user's token, where the test asks for one (as an authorization-code flow would give the client),
                // with realm roles where Keycloak puts them; otherwise the client's own.
                identity.SetClaim(Claims.Subject, (string?)context.Request.GetParameter("test_subject") ?? context.ClientId);
                if ((string?)context.Request.GetParameter("test_realm_roles") is { } realmRoles)
                    identity.SetClaim("realm_access", System.Text.Json.JsonSerializer.SerializeToElement(new { roles = realmRoles.Split(',') }));
                identity.SetClaim(Claims.ClientId, context.ClientId);
                identity.SetScopes(context.Request.GetScopes());
                identity.SetResources((string?)context.Request.GetParameter("test_audience") ?? "modular");
                identity.SetDestinations(_ => [Destinations.AccessToken]);
                context.SignIn(new ClaimsPrincipal(identity));
                return default;
            }));
        });
        var app = builder.Build();
        await app.StartAsync();
        return new OpenIdIssuer(app, url, keys[0]);
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    /// <summary>A client-credentials access token for <paramref name="scopes"/>, for <paramref name="audience"/> (default: modular).</summary>
    /// <param name="subject">A user's subject (the token speaks for that user, not for the client).</param>
    /// <param name="realmRoles">The user's roles, in a <c>realm_access.roles</c> claim as Keycloak writes them.</param>
    public async Task<string> TokenAsync(string scopes, string? audience = null, string? subject = null, string? realmRoles = null)
    {
        using var http = new HttpClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = scopes,
        };
        if (audience is not null) form["test_audience"] = audience; // parameters of this issuer's own
        if (subject is not null) form["test_subject"] = subject;
        if (realmRoles is not null) form["test_realm_roles"] = realmRoles;
        using var response = await http.PostAsync(new Uri(Url, "connect/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
