using System.Globalization;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Security;

namespace Modular.Platform.Commands;

/// <summary>
/// <c>Modular.Host token [--subject alice] [--roles customer,staff] [--minutes 480] [--client my-app]</c> (<c>make token</c>): prints a token of
/// the embedded issuer, and nothing else, on stdout. Without arguments: the developer, with every role.
/// </summary>
internal static class TokenCommand
{
    public const string Name = "token";

    /// <summary>The client id of tokens made here, recorded with the work they cause (<see cref="Caller"/>).</summary>
    public const string DefaultClient = "make-token";

    public static int Run(string[] args, AuthenticationOptions settings, TextWriter output)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { Length: > 0 } value ? value : null;
        if (settings.Authority is { Length: > 0 })
            throw new ModularConfigurationException($"{ModularAuthentication.Section}:Authority is set: tokens come from that issuer, not from make token.");
        var tokens = EmbeddedIssuer.Configured(settings) ?? EmbeddedIssuer.FromFile(EmbeddedIssuer.DevelopmentKeyFile);
        var roles = Option("--roles") is { } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : Roles.All;
        var minutes = Option("--minutes") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : 8 * 60;
        output.WriteLine(tokens.Issue(Option("--subject") ?? "developer", roles, TimeSpan.FromMinutes(minutes),
            settings.Audience is { Length: > 0 } audience ? audience : EmbeddedIssuer.DefaultAudience,
            clientId: Option("--client") ?? DefaultClient));
        return 0;
    }
}
