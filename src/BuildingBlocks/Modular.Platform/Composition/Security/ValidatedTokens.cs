using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Modular.Platform.Composition.Security;

/// <summary>
/// Validates each distinct bearer token once, not on every request: a client sends the same token for minutes, and
/// parsing it, checking its signature and building its claims was the largest cost of a read after the database call
/// (docs/benchmarks.md, "Per-request budget"; ADR 0025). A token found here is accepted only while it is unexpired and its signing
/// key is still one the issuer publishes (a key rotated out is refused at once, as without the cache: ADR 0013); each
/// request gets its own copy of the claims. Only valid tokens are kept, at most <see cref="Capacity"/> of them.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider clock) : TokenHandler
{
    /// <summary>Distinct live tokens kept; past it the cache starts over (a flood of valid tokens costs validations, not memory).</summary>
    public const int Capacity = 10_000;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, TokenValidationResult> _valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out var known))
        {
            if (StillValid(known, validationParameters)) return CopyOf(known);
            _valid.TryRemove(token, out _);
        }

        var result = await _handler.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken) return result;
        if (_valid.Count >= Capacity) _valid.Clear();
        _valid[token] = result;
        return CopyOf(result); // the kept identity is never handed out: every request gets a copy, the first one too
    }

    public override SecurityToken ReadToken(string token) => _handler.ReadToken(token);

    private bool StillValid(TokenValidationResult known, TokenValidationParameters parameters) =>
        known.SecurityToken.ValidTo > clock.GetUtcNow().UtcDateTime && IsTrusted(known.SecurityToken.SigningKey, parameters);

    /// <summary>Whether the key that signed the token is still among the keys the parameters trust (the issuer's current set).</summary>
    private static bool IsTrusted(SecurityKey? key, TokenValidationParameters parameters)
    {
        if (key is null) return false;
        if (ReferenceEquals(key, parameters.IssuerSigningKey)) return true;
        if (parameters.IssuerSigningKeys is null) return false;
        foreach (var trusted in parameters.IssuerSigningKeys)
            if (ReferenceEquals(trusted, key) || (key.KeyId is { Length: > 0 } id && trusted.KeyId == id)) return true;
        return false;
    }

    /// <summary>The cached result with a claims identity of its own, so nothing a request adds to it reaches another.</summary>
    private static TokenValidationResult CopyOf(TokenValidationResult known) => new()
    {
        IsValid = true,
        ClaimsIdentity = known.ClaimsIdentity.Clone(),
        SecurityToken = known.SecurityToken,
        Issuer = known.Issuer,
        TokenType = known.TokenType,
    };
}
