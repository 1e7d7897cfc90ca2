using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// <c>Modular:ManagementUrl</c> (e.g. <c>http://*:8082</c>): a listener for operators and the platform, off the port
/// clients use. When set, the operations page (<c>/ops</c>), the admin API (<c>/api/admin/…</c>) and <c>/metrics</c>
/// answer there and 404 elsewhere, and that listener answers nothing else; <c>/health/*</c> answers on both (a load
/// balancer probes the port it sends traffic to). One setting for the whole map: a gateway asks the other deployments'
/// instances for their operations data on theirs (<see cref="AddressOf"/>). Unset: everything on the deployment's URLs.
/// </summary>
internal static class ManagementListener
{
    public const string UrlKey = "Modular:ManagementUrl";

    /// <summary>The listener's port; null when there is none.</summary>
    internal sealed record Port(int? Number);

    public static void AddManagementListener(this WebApplicationBuilder builder, string? url) =>
        builder.Services.AddSingleton(new Port(url is { Length: > 0 } text ? ListenerUrls.Add(builder, UrlKey, text, "http://*:8082") : null));

    public static void UseManagementListener(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<Port>().Number is not { } management) return;
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var forOperators = path.StartsWithSegments(Telemetry.MetricsPath, StringComparison.OrdinalIgnoreCase)
                               || path.StartsWithSegments(OperationsEndpoints.PagePath, StringComparison.OrdinalIgnoreCase)
                               || path.StartsWithSegments("/api/admin", StringComparison.OrdinalIgnoreCase);
            var answersHere = context.Connection.LocalPort == management
                ? forOperators || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                : !forOperators;
            if (answersHere) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound; // as ProblemDetails, by the status code pages
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Where a gateway asks a remote instance for operators' data: with a management listener, the instance's
    /// <c>Services:&lt;host&gt;:management:&lt;n&gt;</c> entry (n: its index among <c>Services:&lt;host&gt;:http</c>), else the same
    /// host on the management port; without one, the address it serves on.
    /// </summary>
    public static Uri AddressOf(IServiceProvider services, Deployment deployment, InstanceView instance)
    {
        var served = new Uri(instance.Address);
        if (services.GetRequiredService<Port>().Number is not { } port) return served;
        var configuration = services.GetRequiredService<IConfiguration>();
        var host = deployment.Url.Host;
        var http = configuration.GetSection($"Services:{host}:http").GetChildren().ToList();
        var index = http.FindIndex(entry => Uri.TryCreate(entry.Value, UriKind.Absolute, out var address)
                                            && Uri.Compare(address, served, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);
        if (index >= 0 && configuration[$"Services:{host}:management:{http[index].Key}"] is { Length: > 0 } listed) return new Uri(listed);
        return new UriBuilder(served) { Port = port }.Uri;
    }
}
