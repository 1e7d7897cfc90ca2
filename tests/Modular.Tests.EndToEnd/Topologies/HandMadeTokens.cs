using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// JWTs made byte by byte, independently of the product's own issuer: good ones with any claims, and every kind of bad
/// one a deployment must refuse (expired, not yet valid, wrong issuer or audience, wrong key, <c>alg: none</c>, tampered).
/// </summary>
public static class HandMadeTokens
{
    public const string Issuer = "modular-embedded";
    public const string Audience = "modular";
    private static readonly string[] AdminRole = ["admin"];

    public static string For(string subject, string[] roles, string? clientId = null, string issuer = Issuer, string audience = Audience,
        TimeSpan? validFrom = null, TimeSpan? validFor = null, string? key = null)
    {
        var now = DateTimeOffset.UtcNow;
        var notBefore = now + (validFrom ?? TimeSpan.FromMinutes(-1));
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["role"] = roles,
            ["iat"] = notBefore.ToUnixTimeSeconds(),
            ["nbf"] = notBefore.ToUnixTimeSeconds(),
            ["exp"] = (notBefore + (validFor ?? TimeSpan.FromMinutes(10))).ToUnixTimeSeconds(),
        };
        if (clientId is not null) claims["client_id"] = clientId;
        var unsigned = $"{Encode(new { alg = "HS256", typ = "JWT" })}.{Encode(claims)}";
        return $"{unsigned}.{Signature(unsigned, key ?? Topology.SigningKey)}";
    }

    /// <summary>The bad-token matrix: each entry must get a 401 wherever it is sent.</summary>
    public static IReadOnlyDictionary<string, string?> Bad()
    {
        var customer = For("mallory", ["customer"]).Split('.');
        var admin = Encode(new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = "mallory", ["role"] = AdminRole,
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        });
        return new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["malformed"] = "not-a-jwt",
            ["expired"] = For("mallory", ["admin"], validFrom: TimeSpan.FromHours(-2), validFor: TimeSpan.FromMinutes(10)),
            ["not yet valid"] = For("mallory", ["admin"], validFrom: TimeSpan.FromHours(1)),
            ["wrong issuer"] = For("mallory", ["admin"], issuer: "someone-else"),
            ["wrong audience"] = For("mallory", ["admin"], audience: "someone-else"),
            ["wrong signature"] = For("mallory", ["admin"], key: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
            ["alg none"] = $"{Encode(new { alg = "none", typ = "JWT" })}.{admin}.",
            ["tampered payload"] = $"{customer[0]}.{admin}.{customer[2]}", // a customer's signature on an admin's claims
        };
    }

    private static string Encode(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Signature(string unsigned, string base64Key) =>
        Base64Url(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.ASCII.GetBytes(unsigned)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
