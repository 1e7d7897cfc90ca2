using System.Net;
using System.Net.Http.Headers;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Tests.Support;

namespace Modular.Tests.Integration.Platform;

/// <summary>The production path: tokens from a real OpenID Connect issuer, found by its discovery document.</summary>
public sealed class HostWithOpenIdIssuer : ModularApp
{
    public static readonly string[] Scopes = [CatalogPermissions.Read, CatalogPermissions.Write];

    public int IssuerPort { get; } = Server.FreeLoopbackPort();

    public OpenIdIssuer Issuer { get; set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string>> SettingsAsync()
    {
        Issuer = await OpenIdIssuer.StartAsync(IssuerPort, [OpenIdIssuer.NewKey()], Scopes);
        return new Dictionary<string, string>
        {
            ["Modular:Authentication:Authority"] = Issuer.Url.ToString(),
            ["Modular:Authentication:RequireHttpsMetadata"] = "false",
            // An unknown key may send the host to the JWKS every second, not every 30 s: a test's patience.
            ["Modular:Authentication:KeyRefreshMinimum"] = "00:00:01",
            // Roles where Keycloak writes them; access tokens only as RFC 9068 types them (OpenIddict does).
            ["Modular:Authentication:RoleClaim"] = "realm_access.roles",
            ["Modular:Authentication:TokenTypes"] = "at+jwt",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Issuer is not null) await Issuer.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OpenIdSuite : ICollectionFixture<HostWithOpenIdIssuer>
{
    public const string Name = "openid";
}

[Collection(OpenIdSuite.Name)]
public sealed class OpenIdConnectTests(HostWithOpenIdIssuer app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] CustomerRole = ["customer"];

    [Fact]
    public async Task client_credentials_tokens_are_accepted_for_their_scopes_and_keys_follow_the_issuers_rotation()
    {
        using var http = app.Host.Server.CreateClient();
        var reader = await app.Issuer.TokenAsync(CatalogPermissions.Read);

        Assert.Equal(HttpStatusCode.OK, await GetProductsAsync(http, reader));
        Assert.Equal(HttpStatusCode.Forbidden, await AddProductAsync(http, reader)); // catalog:write is not in its scope
        Assert.Equal(HttpStatusCode.Created, await AddProductAsync(http, await app.Issuer.TokenAsync($"{CatalogPermissions.Read} {CatalogPermissions.Write}")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetProductsAsync(http, await app.Issuer.TokenAsync(CatalogPermissions.Read, audience: "someone-else")));
        await using (var stranger = await OpenIdIssuer.StartAsync(Server.FreeLoopbackPort(), [OpenIdIssuer.NewKey()], HostWithOpenIdIssuer.Scopes))
            Assert.Equal(HttpStatusCode.Unauthorized, await GetProductsAsync(http, await stranger.TokenAsync(CatalogPermissions.Read)));

        // Rotation, step 1: the issuer signs with a new key and still publishes the old one. The host has never seen
        // the new key: it fetches the JWKS again and accepts tokens signed with either.
        var oldKey = OpenIdIssuer.NewKey();
        var newKey = OpenIdIssuer.NewKey();
        await RestartIssuerAsync([oldKey]);
        var signedWithOld = await app.Issuer.TokenAsync(CatalogPermissions.Read);
        Assert.True(await EventuallyAsync(async () => await GetProductsAsync(http, signedWithOld) == HttpStatusCode.OK), "old key never accepted");
        await RestartIssuerAsync([newKey, oldKey]);
        var signedWithNew = await app.Issuer.TokenAsync(CatalogPermissions.Read);
        Assert.True(await EventuallyAsync(async () => await GetProductsAsync(http, signedWithNew) == HttpStatusCode.OK), "new key never accepted");
        Assert.Equal(HttpStatusCode.OK, await GetProductsAsync(http, signedWithOld));

        // Step 2: the next rotation retires the old key. Once the host has the issuer's current keys (a token signed
        // with the newest sends it there; otherwise Modular:Authentication:MetadataRefreshInterval, 1 h by default), a
        // token the old key signed, though not expired, is refused.
        var newestKey = OpenIdIssuer.NewKey();
        await RestartIssuerAsync([newestKey, newKey]);
        var signedWithNewest = await app.Issuer.TokenAsync(CatalogPermissions.Read);
        Assert.True(await EventuallyAsync(async () => await GetProductsAsync(http, signedWithNewest) == HttpStatusCode.OK), "newest key never accepted");
        Assert.Equal(HttpStatusCode.Unauthorized, await GetProductsAsync(http, signedWithOld));
        Assert.Equal(HttpStatusCode.OK, await GetProductsAsync(http, signedWithNew));
    }

    [Fact]
    public async Task a_users_roles_come_from_the_configured_claim_and_a_users_scope_grants_nothing()
    {
        using var http = app.Host.Server.CreateClient();
        var staff = await app.Issuer.TokenAsync("", subject: "alice", realmRoles: "staff");
        Assert.True(await EventuallyAsync(async () => await GetProductsAsync(http, staff) == HttpStatusCode.OK), "the issuer's token never accepted");

        Assert.Equal(HttpStatusCode.Created, await AddProductAsync(http, staff));
        var customer = await app.Issuer.TokenAsync("", subject: "bob", realmRoles: "customer");
        Assert.Equal(HttpStatusCode.OK, await GetProductsAsync(http, customer));
        Assert.Equal(HttpStatusCode.Forbidden, await AddProductAsync(http, customer));
        // A user-facing client may ask for any registered scope: in a user's token it is not a permission.
        var asked = await app.Issuer.TokenAsync($"{CatalogPermissions.Read} {CatalogPermissions.Write}", subject: "bob", realmRoles: "customer");
        Assert.Equal(HttpStatusCode.Forbidden, await AddProductAsync(http, asked));
    }

    [Fact]
    public async Task a_token_of_another_type_signed_by_the_issuer_is_refused()
    {
        using var http = app.Host.Server.CreateClient();
        string Sign(string type) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = app.Issuer.Url.ToString(),
            Audience = "modular",
            TokenType = type,
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["realm_access"] = new Dictionary<string, object> { ["roles"] = CustomerRole } },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(app.Issuer.SigningKey, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256),
        });

        // The same claims, key and signature as an access token are accepted (once the host has the issuer's keys)...
        Assert.True(await EventuallyAsync(async () => await GetProductsAsync(http, Sign("at+jwt")) == HttpStatusCode.OK), "an access token never accepted");
        // ...typed as an ID token (JWT) they are not: Modular:Authentication:TokenTypes is at+jwt here.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetProductsAsync(http, Sign("JWT")));
    }

    private async Task RestartIssuerAsync(IReadOnlyList<Microsoft.IdentityModel.Tokens.RsaSecurityKey> keys)
    {
        await app.Issuer.DisposeAsync();
        app.Issuer = await OpenIdIssuer.StartAsync(app.IssuerPort, keys, HostWithOpenIdIssuer.Scopes);
    }

    private static async Task<HttpStatusCode> GetProductsAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> AddProductAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/products")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new AddProduct($"OIDC-{Guid.NewGuid():N}"[..12], "Issued", new Money(3m, "EUR"))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the patience runs out.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(200);
        }

        return false;
    }
}
