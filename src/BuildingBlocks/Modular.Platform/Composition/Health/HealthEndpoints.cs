using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Modular.Platform.Composition.Health;

/// <summary>
/// /health/live: the process answers. /health/ready: every dependency tagged "ready" answers (200, or 503 when one is
/// unhealthy), from a report at most a second old (<see cref="ReadinessReports"/>).
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void MapModularHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .ExcludeFromDescription().AllowAnonymous();
        var reports = new ReadinessReports(app.Services.GetRequiredService<HealthCheckService>(), TimeProvider.System);
        app.MapGet("/health/ready", async context =>
        {
            var report = await reports.GetAsync().WaitAsync(context.RequestAborted);
            context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            context.Response.Headers.CacheControl = "no-store, no-cache";
            await WriteAsync(context, report);
        }).ExcludeFromDescription().AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        });
    }
}
