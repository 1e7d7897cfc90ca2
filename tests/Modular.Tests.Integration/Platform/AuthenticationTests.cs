using Alba;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// Every API call needs a valid token of the deployment's issuer (401 with <c>WWW-Authenticate</c> otherwise) and the
/// permission its endpoint names (403 otherwise); health, the document and the error catalogue stay anonymous.
/// </summary>
[Collection(PlatformSuite.Name)]
public sealed class AuthenticationTests(ModularApp app)
{
    private const string Products = "/api/catalog/products";

    public static TheoryData<string, string> BadTokens()
    {
        var other = EmbeddedIssuer.FromBase64(EmbeddedIssuer.NewKey());
        return new()
        {
            { "malformed", "not.a.token" },
            { "wrong signature", other.Issue("mallory", Roles.All, TimeSpan.FromMinutes(5)) },
            { "alg none", new JsonWebTokenHandler().CreateToken(
                $$"""{"iss":"{{EmbeddedIssuer.Issuer}}","aud":"modular","sub":"mallory","role":["admin"],"exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}""") },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task a_token_that_is_not_the_issuers_is_a_401_problem_with_www_authenticate(string why, string token)
    {
        Assert.NotEmpty(why);
        await UnauthorizedAsync(token);
    }

    [Fact]
    public async Task expired_not_yet_valid_wrong_audience_wrong_issuer_and_tampered_tokens_are_401s()
    {
        var tokens = app.Tokens;
        await UnauthorizedAsync(tokens.Issue("alice", Roles.All, TimeSpan.FromMinutes(1), notBefore: DateTime.UtcNow.AddHours(-1)));
        await UnauthorizedAsync(tokens.Issue("alice", Roles.All, TimeSpan.FromMinutes(5), notBefore: DateTime.UtcNow.AddHours(1)));
        await UnauthorizedAsync(tokens.Issue("alice", Roles.All, TimeSpan.FromMinutes(5), audience: "someone-else"));
        await UnauthorizedAsync(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://elsewhere.example", Audience = "modular", Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["role"] = Roles.All.ToArray() },
            SigningCredentials = new SigningCredentials(tokens.Key, SecurityAlgorithms.HmacSha256),
        }));
        var customer = tokens.Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5)).Split('.');
        var payload = Base64UrlEncoder.Decode(customer[1]).Replace("\"customer\"", "\"admin\"", StringComparison.Ordinal);
        await UnauthorizedAsync($"{customer[0]}.{Base64UrlEncoder.Encode(payload)}.{customer[2]}");
    }

    [Fact]
    public async Task no_token_is_a_401_problem_and_anonymous_surfaces_stay_open()
    {
        await UnauthorizedAsync(null);
        foreach (var open in new[] { "/health/live", "/health/ready", "/swagger/v1/swagger.json", "/problems/forbidden" })
            await app.Host.Scenario(x =>
            {
                x.Get.Url(open);
                x.RemoveRequestHeader("Authorization");
                x.StatusCodeShouldBeOk();
            });
    }

    [Theory]
    [InlineData("POST", Products, "customer")]
    [InlineData("GET", "/api/admin/dead-letters", "staff")]
    [InlineData("GET", "/api/admin/modules", "customer")]
    [InlineData("PUT", "/api/payments/simulator", "staff")]
    public async Task a_valid_token_without_the_endpoints_permission_is_a_403_problem(string method, string url, string role)
    {
        var token = app.Tokens.Issue("alice", [role], TimeSpan.FromMinutes(5));
        var problem = await app.ProblemAsync(x =>
        {
            x.WithRequestHeader("Authorization", $"Bearer {token}");
            x.ConfigureHttpContext(context =>
            {
                context.Request.Method = method;
                context.Request.Path = url;
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream("{}"u8.ToArray());
            });
        }, 403);

        Assert.Equal("/problems/forbidden", problem.Type);
    }

    [Fact]
    public async Task a_customer_reads_the_catalog_and_staff_manage_it()
    {
        await app.ResetAsync();
        var staff = app.Tokens.Issue("sam", [Roles.Staff], TimeSpan.FromMinutes(5));
        var customer = app.Tokens.Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5));

        await app.Host.Scenario(x =>
        {
            x.Post.Json(new { sku = "AUTH-1", name = "Guarded", price = new { amount = 1m, currency = "EUR" } }).ToUrl(Products);
            x.WithRequestHeader("Authorization", $"Bearer {staff}");
            x.StatusCodeShouldBe(201);
        });
        await app.Host.Scenario(x =>
        {
            x.Get.Url(Products);
            x.WithRequestHeader("Authorization", $"Bearer {customer}");
            x.StatusCodeShouldBeOk();
        });
    }

    private async Task UnauthorizedAsync(string? token)
    {
        var result = await app.Host.Scenario(x =>
        {
            x.Get.Url(Products);
            if (token is null) x.RemoveRequestHeader("Authorization");
            else x.WithRequestHeader("Authorization", $"Bearer {token}");
            x.StatusCodeShouldBe(401);
            x.ContentTypeShouldBe("application/problem+json");
        });
        Assert.StartsWith("Bearer", result.Context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("/problems/unauthorized", await result.ReadAsTextAsync(), StringComparison.Ordinal);
    }
}
