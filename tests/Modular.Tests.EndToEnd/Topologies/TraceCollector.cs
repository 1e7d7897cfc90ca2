using System.Diagnostics;
using System.Net;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// A stand-in OpenTelemetry collector: accepts OTLP/HTTP trace exports on a loopback port, one path per process
/// (<c>/&lt;deployment&gt;/v1/traces</c>), and keeps them. A span's trace id is 16 raw bytes in the protobuf
/// payload, so "which deployments exported spans of this trace" needs no OTLP parser.
/// </summary>
public sealed class TraceCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Deployment, byte[] Payload)> _exports = [];

    public TraceCollector()
    {
        Url = new Uri($"http://127.0.0.1:{Server.FreeLoopbackPort()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    /// <summary>The settings that point a process's OpenTelemetry exporter here, flushing every 200 ms.</summary>
    public IEnumerable<string> SettingsFor(string deployment) =>
    [
        $"--OTEL_EXPORTER_OTLP_ENDPOINT={new Uri(Url, deployment)}",
        "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
        "--OTEL_BSP_SCHEDULE_DELAY=200",
    ];

    public IReadOnlySet<string> DeploymentsWithSpansOf(ActivityTraceId trace)
    {
        var id = new byte[16];
        trace.CopyTo(id);
        lock (_exports) return _exports.Where(e => e.Payload.AsSpan().IndexOf(id) >= 0).Select(e => e.Deployment).ToHashSet();
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var deployment = context.Request.Url!.AbsolutePath.Trim('/').Split('/')[0];
            lock (_exports) _exports.Add((deployment, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
