using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Unit.Platform;

/// <summary>The token cache accepts no more than validating every request would: expiry and key rotation still refuse.</summary>
public sealed class ValidatedTokensTests
{
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private readonly Clock _clock = new() { Now = Start };
    private readonly SymmetricSecurityKey _key = NewKey("k1");

    [Fact]
    public async Task a_token_seen_before_is_accepted_with_claims_of_its_own()
    {
        var tokens = new ValidatedTokens(_clock);
        var token = Token(_key, Start.AddMinutes(5));

        var first = await tokens.ValidateTokenAsync(token, Parameters(_key));
        first.ClaimsIdentity.AddClaim(new Claim("added-by", "first request"));
        var second = await tokens.ValidateTokenAsync(token, Parameters(_key));

        Assert.True(second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("alice", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Null(second.ClaimsIdentity.FindFirst("added-by"));
    }

    [Fact]
    public async Task a_token_that_expired_since_it_was_seen_is_refused()
    {
        var tokens = new ValidatedTokens(_clock);
        var token = Token(_key, Start.AddMinutes(5));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        _clock.Now = Start.AddMinutes(6);

        Assert.False((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
    }

    [Fact]
    public async Task a_token_whose_signing_key_was_rotated_out_is_refused()
    {
        var tokens = new ValidatedTokens(_clock);
        var token = Token(_key, Start.AddMinutes(5));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        Assert.False((await tokens.ValidateTokenAsync(token, Parameters(NewKey("k2")))).IsValid);
    }

    [Fact]
    public async Task an_invalid_token_is_never_kept()
    {
        var tokens = new ValidatedTokens(_clock);
        var forged = Token(NewKey("k1"), Start.AddMinutes(5)); // same key id, other secret

        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters(_key))).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters(_key))).IsValid);
    }

    private TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = EmbeddedIssuer.Issuer,
        ValidAudience = EmbeddedIssuer.DefaultAudience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        // lifetime read against the test's clock, as the cache reads it
        LifetimeValidator = (_, expires, _, _) => expires > _clock.Now,
    };

    private static string Token(SecurityKey key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = EmbeddedIssuer.Issuer,
        Audience = EmbeddedIssuer.DefaultAudience,
        Claims = new Dictionary<string, object> { ["sub"] = "alice", ["role"] = "customer" },
        IssuedAt = expires.AddMinutes(-10),
        NotBefore = expires.AddMinutes(-10),
        Expires = expires,
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });

    private static SymmetricSecurityKey NewKey(string id) =>
        new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = id };

    private sealed class Clock : TimeProvider
    {
        public DateTime Now { get; set; }

        public override DateTimeOffset GetUtcNow() => new(Now);
    }
}
