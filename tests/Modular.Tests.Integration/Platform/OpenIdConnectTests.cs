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
