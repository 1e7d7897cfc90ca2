using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Observability;

/// <summary>
/// Console logs as one JSON object per line when <c>Modular:Logging:Format</c> is <c>json</c> (the container image's
/// choice; <c>simple</c>, the default, is for people reading a terminal). A line written while a request or a message
/// is handled carries, under <c>Scopes</c>, the W3C <c>TraceId</c> and <c>SpanId</c> and the span's
/// <c>modular.module</c> and <c>modular.deployment</c>: one trace id follows an order across every process it crossed.
/// Spans are made for that even when no tracing is exported (propagation only: nothing is recorded).
/// </summary>
public static class ModularLogging
{
    public const string FormatKey = "Modular:Logging:Format";

    public static bool IsJson(LoggingOptions options) => Format(options) == "json";

    public static void AddModularLogging(this WebApplicationBuilder builder, LoggingOptions options)
    {
        if (!IsJson(options)) return;

        builder.Logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.Tags);
        builder.Services.AddHostedService<HandlerSpans>();
    }

    private static string Format(LoggingOptions options) => options.Format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "simple" => "simple",
        "json" => "json",
        var other => throw new ModularConfigurationException($"{FormatKey} is '{other}'; it is 'simple' (the default) or 'json'."),
    };

    /// <summary>
    /// Wolverine makes a span per message handled only when something listens; without exported tracing, this listener
    /// asks for spans that carry the trace across processes (ids, tags) and record nothing else.
    /// </summary>
    private sealed class HandlerSpans : IHostedService, IDisposable
    {
        private readonly ActivityListener _listener = new()
        {
            ShouldListenTo = source => source.Name == "Wolverine",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };

        public Task StartAsync(CancellationToken cancellationToken)
        {
            ActivitySource.AddActivityListener(_listener);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => _listener.Dispose();
    }
}
