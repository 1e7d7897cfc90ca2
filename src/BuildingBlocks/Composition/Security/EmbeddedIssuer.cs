using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Modular.BuildingBlocks.Composition.Security;

/// <summary>
/// The embedded issuer, in any environment (make run, a small team's container, tests): tokens signed with a symmetric
/// key the deployment is given (<c>Modular:Authentication:SigningKey</c>, base64) or keeps in a file (<c>SigningKeyFile</c>; <c>make run</c> creates <c>.local/dev-signing-key</c> on first
/// run, like <c>dotnet user-jwts</c>). For a small team's single container and for tests; production points
/// <c>Modular:Authentication:Authority</c> at an OpenID Connect issuer instead (ADR 0013).
/// </summary>
public sealed class EmbeddedIssuer(SymmetricSecurityKey key)
{
    public const string Issuer = "modular-embedded";
    public const string DefaultAudience = "modular";
    private const int KeyBytes = 32; // HS256

    public SymmetricSecurityKey Key { get; } = key;

    /// <summary>Where <c>make run</c> keeps the key in Development, when none is configured.</summary>
    public static readonly string DevelopmentKeyFile = Path.Combine(".local", "dev-signing-key");

    /// <summary>The issuer of the configured <c>SigningKey</c>, else of the <c>SigningKeyFile</c>; null when neither is set.</summary>
    public static EmbeddedIssuer? Configured(AuthenticationOptions settings) =>
        settings.SigningKey is { Length: > 0 } key ? FromBase64(key)
        : settings.SigningKeyFile is { Length: > 0 } file ? FromFile(file)
        : null;

    public static EmbeddedIssuer FromBase64(string key)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key.Trim());
        }
        catch (FormatException)
        {
            throw new Modules.ModularConfigurationException("Modular:Authentication:SigningKey is not base64 (make one: openssl rand -base64 32).");
        }

        return bytes.Length >= KeyBytes
            ? new EmbeddedIssuer(new SymmetricSecurityKey(bytes))
            : throw new Modules.ModularConfigurationException($"Modular:Authentication:SigningKey has {bytes.Length} bytes; HS256 needs {KeyBytes} (openssl rand -base64 32).");
    }

    /// <summary>The key in <paramref name="path"/>, created there (readable by its owner only) if it does not exist.</summary>
    public static EmbeddedIssuer FromFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, NewKey() + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return FromBase64(File.ReadAllText(path));
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>A signed token for <paramref name="subject"/> with <paramref name="roles"/>, through <paramref name="clientId"/> if given.</summary>
    public string Issue(string subject, IEnumerable<string> roles, TimeSpan lifetime, string audience = DefaultAudience,
        DateTime? notBefore = null, string? clientId = null)
    {
        var now = notBefore ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [PermissionGrants.SubjectClaim] = subject,
            [PermissionGrants.RoleClaim] = roles.ToArray(),
        };
        if (clientId is not null) claims[Caller.ClientIdClaim] = clientId;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = now,
            IssuedAt = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
