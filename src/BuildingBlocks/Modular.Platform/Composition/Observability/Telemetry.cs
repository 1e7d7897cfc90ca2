using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.GrpcApi;
using Modular.Platform.Composition.Modules;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Modular.Platform.Composition.Observability;

/// <summary>
/// OpenTelemetry for every deployment. <b>Traces</b>: one trace per request across HTTP, the gateway, Wolverine
/// messages (in-process or over the transport: Wolverine carries the trace context in the envelope) and PostgreSQL;
/// on when there is somewhere to send them — <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables
/// apply) — or when <c>Modular:Telemetry:Enabled</c> says so: spans nobody collects cost ~10 % of throughput (ADR 0009).
/// <b>Metrics</b> (HTTP, gRPC, messages, the runtime): on when <c>Modular:Metrics:Enabled</c> says so (the container
/// image does; measured, they add about 2 ms to an unloaded order's 10 ms, docs/benchmarks.md), scraped by Prometheus
/// at <c>/metrics</c>; every HTTP and gRPC request's measurements carry <c>modular_deployment</c> and the
/// <c>modular_module</c> whose route it is (also where the gateway forwards it). The service is
/// <c>modular-&lt;deployment&gt;</c>.
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string EnabledKey = "Modular:Telemetry:Enabled";
    public const string MetricsEnabledKey = "Modular:Metrics:Enabled";
    public const string MetricsPath = "/metrics";
    public const string ModuleTag = "modular.module";
    public const string DeploymentTag = "modular.deployment";
    /// <summary>The module that sent a message (the message ledger's edges).</summary>
    public const string SenderTag = "modular.sender";
    /// <summary>A message type's name (the message ledger's edges).</summary>
    public const string MessageTag = "modular.message";
    public const string ModularMeters = "Modular.*";

    /// <param name="configuration">Where the standard <c>OTEL_*</c> settings are read.</param>
    public static void AddModularTelemetry(this IServiceCollection services, string deployment, IReadOnlyList<ModuleDefinition> modules,
        TelemetryOptions telemetryOptions, MetricsOptions metricsOptions, IConfiguration configuration)
    {
        var exportsOverOtlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var tracing = TracingEnabled(telemetryOptions, configuration);
        var scraped = metricsOptions.Enabled;
        if (!tracing && !scraped) return;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName: $"modular-{deployment}", serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}")
                .AddAttributes([
                    new(DeploymentTag, deployment),
                    new("modular.modules", string.Join(",", modules.Select(m => m.Name))),
                ]))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Wolverine:*")
                    .AddMeter(ModularMeters); // the framework's own: the backlog, the gateway
                if (scraped) metrics.AddPrometheusExporter();
            });
        if (tracing)
        {
            telemetry.WithTracing(traces => traces
                .AddAspNetCoreInstrumentation(http => http.Filter = context => !IsProbe(context))
                .AddHttpClientInstrumentation()
                .AddSource("Wolverine")
                .AddNpgsql());
            if (exportsOverOtlp) telemetry.UseOtlpExporter();
        }
    }

    /// <summary>Traces are on when there is somewhere to send them, or when asked for.</summary>
    public static bool TracingEnabled(TelemetryOptions options, IConfiguration configuration) =>
        options.Enabled ?? !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    /// <summary>
    /// <c>/metrics</c> (anonymous: it is scraped, and says nothing about anyone's data), and the module and deployment
    /// of every request on its measurements and on its span (which JSON log lines show) — when anything reads them.
    /// </summary>
    public static void UseModularTelemetry(this WebApplication app, string deployment, IReadOnlyList<ModuleDefinition> available,
        TelemetryOptions telemetryOptions, MetricsOptions metricsOptions, LoggingOptions loggingOptions)
    {
        var scraped = metricsOptions.Enabled;
        var spans = TracingEnabled(telemetryOptions, app.Configuration) || ModularLogging.IsJson(loggingOptions);
        if (!scraped && !spans) return;

        var prefixes = available.SelectMany(m => new[] { (m.RoutePrefix + "/", m.Name), ("/" + ModularGrpc.PackageOf(m), m.Name) }).ToArray();
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            string? module = null;
            foreach (var (prefix, name) in prefixes)
            {
                if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                module = name;
                break;
            }

            if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
            {
                metrics.Tags.Add(new(DeploymentTag, deployment));
                if (module is not null) metrics.Tags.Add(new(ModuleTag, module));
            }

            if (spans && Activity.Current is { } span)
            {
                span.SetTag(DeploymentTag, deployment);
                if (module is not null) span.SetTag(ModuleTag, module);
            }

            return next(context);
        });
        if (scraped) app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
    }

    /// <summary>Health probes run every few seconds from every orchestrator and gateway: not worth a trace each.</summary>
    private static bool IsProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
