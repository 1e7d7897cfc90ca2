using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Unit.Platform;

/// <summary>The embedded issuer's keys: several for a rotation, a key file private from its first byte.</summary>
public sealed class EmbeddedIssuerTests
{
    [Fact]
    public void several_keys_are_read_in_order_the_first_signs_and_each_is_named_by_its_hash()
    {
        var (first, second) = (EmbeddedIssuer.NewKey(), EmbeddedIssuer.NewKey());

        var issuer = EmbeddedIssuer.FromBase64($" {first},\n{second}\n");

        Assert.Equal(2, issuer.Keys.Count);
        Assert.Same(issuer.Keys[0], issuer.Key);
        Assert.Equal(EmbeddedIssuer.FromBase64(first).Key.KeyId, issuer.Key.KeyId);
        Assert.NotEqual(issuer.Keys[0].KeyId, issuer.Keys[1].KeyId);
        Assert.Throws<ModularConfigurationException>(() => EmbeddedIssuer.FromBase64(" , "));
        Assert.Throws<ModularConfigurationException>(() => EmbeddedIssuer.FromBase64($"{first},not-base64!"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void a_missing_key_file_is_created_readable_by_its_owner_only_and_read_back_the_same()
    {
        var directory = Directory.CreateTempSubdirectory("modular-key-");
        try
        {
            var path = Path.Combine(directory.FullName, "nested", "signing-key");

            var created = EmbeddedIssuer.FromFile(path);
            var again = EmbeddedIssuer.FromFile(path);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(created.Key.KeyId, again.Key.KeyId);
            Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!)); // no draft left beside it
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
