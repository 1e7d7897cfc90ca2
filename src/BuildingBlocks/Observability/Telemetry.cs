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
/// metrics for HTTP, messages and the runtime. The service is <c>modular-&lt;deployment&gt;</c>. On when there is
/// somewhere to send it — <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables apply) — or
/// when <c>Modular:Telemetry:Enabled</c> says so: spans nobody collects cost ~10 % of throughput (ADR 0009).
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string EnabledKey = "Modular:Telemetry:Enabled";

    public static void AddModularTelemetry(this IServiceCollection services, TopologyMap topology, IConfiguration configuration)
    {
        var exportsOverOtlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        if (!configuration.GetValue(EnabledKey, exportsOverOtlp)) return;

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

        if (exportsOverOtlp) telemetry.UseOtlpExporter();
    }

    /// <summary>Health probes run every few seconds from every orchestrator and gateway: not worth a trace each.</summary>
    private static bool IsProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
