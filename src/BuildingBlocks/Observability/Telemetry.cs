using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Topology;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Modular.BuildingBlocks.Observability;

/// <summary>
/// OpenTelemetry for every deployment: one trace per request across HTTP, the gateway, Wolverine messages
/// (in-process or over the transport: Wolverine carries the trace context in the envelope) and PostgreSQL;
/// metrics for HTTP, messages and the runtime. The service is <c>modular-&lt;deployment&gt;</c>. Exported over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables apply); otherwise
/// collected for no one, at no export cost.
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddModularTelemetry(this IServiceCollection services, TopologyMap topology, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName: $"modular-{topology.Current.Name}", serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}")
                .AddAttributes([
                    new("modular.deployment", topology.Current.Name),
                    new("modular.modules", string.Join(",", topology.Current.Modules.Select(m => m.Name))),
                ]))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(http => http.Filter = context => !IsProbe(context))
                .AddHttpClientInstrumentation()
                .AddSource("Wolverine")
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Wolverine:*"));

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey])) telemetry.UseOtlpExporter();
    }

    /// <summary>Health probes run every few seconds from every orchestrator and gateway: not worth a trace each.</summary>
    private static bool IsProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
