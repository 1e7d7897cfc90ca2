using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Http;

/// <summary>A listener of its own beside the deployment's URLs (gRPC's, the management one), as one setting names it.</summary>
internal static class ListenerUrls
{
    /// <summary>Adds <paramref name="text"/> (<c>http://host:port</c>, <c>*</c> for every address) to the URLs Kestrel
    /// listens on; anything else stops the host with one line naming <paramref name="key"/>. Returns its port.</summary>
    public static int Add(WebApplicationBuilder builder, string key, string text, string example)
    {
        if (!Uri.TryCreate(text.Replace("*", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
            throw new ModularConfigurationException($"{key} is '{text}': give an http:// URL with a port, e.g. {example}.");
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } configured
            ? configured
            : builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey) is { Length: > 0 } ports
                ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p}"))
                : "http://localhost:5000";
        builder.WebHost.UseUrls($"{urls};{text}");
        return url.Port;
    }
}
