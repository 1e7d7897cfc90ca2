using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Modular.Platform.Composition.Security;

/// <summary>
/// The embedded issuer, in any environment (make run, a small team's container, tests): tokens signed with a symmetric
/// key the deployment is given (<c>Modular:Authentication:SigningKey</c>, base64) or keeps in a file (<c>SigningKeyFile</c>; <c>make run</c> creates <c>.local/dev-signing-key</c> on first
/// run, like <c>dotnet user-jwts</c>). For a small team's single container and for tests; production points
/// <c>Modular:Authentication:Authority</c> at an OpenID Connect issuer instead (ADR 0013).
/// Several keys (comma- or line-separated) make a rotation possible without invalidating every token at once: the
/// first signs, all validate. Add the new key second everywhere, then first (it signs from then on), then drop the old
/// one once the tokens it signed have expired (docs/security.md).
/// </summary>
public sealed class EmbeddedIssuer
{
    public const string Issuer = "modular-embedded";
    public const string DefaultAudience = "modular";
    private const int KeyBytes = 32; // HS256

    public EmbeddedIssuer(IReadOnlyList<SymmetricSecurityKey> keys)
    {
        if (keys.Count == 0) throw new Modules.ModularConfigurationException("Modular:Authentication:SigningKey holds no key (make one: openssl rand -base64 32).");
        Keys = keys;
    }

    /// <summary>The key tokens are signed with: the first.</summary>
    public SymmetricSecurityKey Key => Keys[0];

    /// <summary>Every key a token may be signed with, the signing one first.</summary>
    public IReadOnlyList<SymmetricSecurityKey> Keys { get; }

    /// <summary>Where <c>make run</c> keeps the key in Development, when none is configured.</summary>
    public static readonly string DevelopmentKeyFile = Path.Combine(".local", "dev-signing-key");

    /// <summary>The issuer of the configured <c>SigningKey</c>, else of the <c>SigningKeyFile</c>; null when neither is set.</summary>
    public static EmbeddedIssuer? Configured(AuthenticationOptions settings) =>
        settings.SigningKey is { Length: > 0 } key ? FromBase64(key)
        : settings.SigningKeyFile is { Length: > 0 } file ? FromFile(file)
        : null;

    /// <summary>The issuer of one key, or of several separated by commas or line breaks (the first signs).</summary>
    public static EmbeddedIssuer FromBase64(string keys) =>
        new([.. keys.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(KeyOf)]);

    private static SymmetricSecurityKey KeyOf(string key)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new Modules.ModularConfigurationException("Modular:Authentication:SigningKey is not base64 (make one: openssl rand -base64 32).");
        }

        return bytes.Length >= KeyBytes
            // Named by its hash, so a token says which key signed it and validation goes straight to that key.
            ? new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes), 0, 8).ToLowerInvariant() }
            : throw new Modules.ModularConfigurationException($"Modular:Authentication:SigningKey has {bytes.Length} bytes; HS256 needs {KeyBytes} (openssl rand -base64 32).");
    }

    /// <summary>
    /// The key(s) in <paramref name="path"/> (one per line), the file created if it does not exist: readable by its
    /// owner only from its first byte (written beside it with that mode, then moved into place), and never half-written
    /// for a process starting at the same moment, which finds either no file or the whole key.
    /// </summary>
    public static EmbeddedIssuer FromFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var draft = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(draft, options)) writer.WriteLine(NewKey());
            try
            {
                File.Move(draft, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(draft); // another process made it first: use theirs
            }
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
