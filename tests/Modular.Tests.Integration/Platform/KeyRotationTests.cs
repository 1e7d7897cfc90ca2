using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Integration.Platform;

/// <summary>A host in the middle of a key rotation: given "new,old", it signs with the new key and accepts both.</summary>
public sealed class HostInKeyRotation : ModularApp
{
    public string NewKey { get; } = EmbeddedIssuer.NewKey();

    protected override Task<IReadOnlyDictionary<string, string>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Modular:Authentication:SigningKey"] = $"{NewKey}, {SigningKey}",
        });
}

[CollectionDefinition(Name)]
public sealed class KeyRotationSuite : ICollectionFixture<HostInKeyRotation>
{
    public const string Name = "key-rotation";
}

[Collection(KeyRotationSuite.Name)]
public sealed class KeyRotationTests(HostInKeyRotation app)
{
    [Fact]
    public async Task tokens_of_both_keys_pass_the_new_key_signs_and_any_other_key_is_refused()
    {
        var signedWithOld = app.Tokens.Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5));
        var signedWithNew = EmbeddedIssuer.FromBase64(app.NewKey).Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5));
        var signedElsewhere = EmbeddedIssuer.FromBase64(EmbeddedIssuer.NewKey()).Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5));

        Assert.Equal(HttpStatusCode.OK, await GetProductsAsync(signedWithOld));
        Assert.Equal(HttpStatusCode.OK, await GetProductsAsync(signedWithNew));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetProductsAsync(signedElsewhere));

        // What the host issues (make token, tests) is signed with the first key, and says which.
        var issued = new JsonWebToken(app.Host.Services.GetRequiredService<EmbeddedIssuer>().Issue("bob", [Roles.Customer], TimeSpan.FromMinutes(5)));
        Assert.Equal(EmbeddedIssuer.FromBase64(app.NewKey).Key.KeyId, issued.Kid);
    }

    private async Task<HttpStatusCode> GetProductsAsync(string token)
    {
        var result = await app.Host.Scenario(x =>
        {
            x.Get.Url("/api/catalog/products");
            x.WithRequestHeader("Authorization", $"Bearer {token}");
            x.IgnoreStatusCode();
        });
        return (HttpStatusCode)result.Context.Response.StatusCode;
    }
}
