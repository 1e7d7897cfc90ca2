using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Security;

/// <summary>
/// Secure by default: every endpoint says who may call it — a policy (<c>[Authorize(SomePermission)]</c>) or an explicit
/// <c>[AllowAnonymous]</c> — or the deployment does not start. The architecture tests hold module code to the same
/// rule at build time (<c>ModuleRules.endpoints_declare_who_may_call_them</c>).
/// </summary>
internal static class SecureByDefault
{
    public static void Verify(IEndpointRouteBuilder app)
    {
        var unprotected = app.DataSources.SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} /{e.RoutePattern.RawText?.TrimStart('/')}")
            .ToList();
        if (unprotected.Count > 0)
            throw new ModularConfigurationException(
                $"{unprotected[0]} says neither who may call it ([Authorize(<permission>)]) nor [AllowAnonymous]" +
                (unprotected.Count > 1 ? $" (and {unprotected.Count - 1} more)" : "") + ": every endpoint must say one.");
    }
}
