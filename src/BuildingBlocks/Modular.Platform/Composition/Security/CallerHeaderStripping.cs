using Microsoft.AspNetCore.Builder;

namespace Modular.Platform.Composition.Security;

internal static class CallerHeaderStripping
{
    /// <summary>Removes <see cref="Caller.ForgeableHeaders"/> from every request before anything reads or forwards it.</summary>
    public static IApplicationBuilder UseCallerHeaderStripping(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            foreach (var header in Caller.ForgeableHeaders) context.Request.Headers.Remove(header);
            return next(context);
        });
}
