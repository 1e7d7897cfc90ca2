using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Modular.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>; make test installs it) of a test's own: it scrapes the given
/// <c>/metrics</c> endpoints every second into a throwaway data directory, evaluates the shipped recording and alert
/// rules every second, and answers PromQL over its HTTP API.
/// </summary>
public sealed class LocalPrometheus : IAsyncDisposable
{
    public const string ExecutableVariable = "MODULAR_PROMETHEUS";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private LocalPrometheus(Process process, string directory, Uri url)
    {
        (_process, _directory) = (process, directory);
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Url => _http.BaseAddress!;

    /// <param name="targets">Job name → the base URLs of the processes it scrapes (at <c>/metrics</c>).</param>
    public static async Task<LocalPrometheus> StartAsync(IReadOnlyDictionary<string, IReadOnlyList<Uri>> targets)
    {
        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } set ? set : "/usr/bin/prometheus";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"No Prometheus at {executable}: make test installs Debian's prometheus package, or set {ExecutableVariable}.");
        var directory = Directory.CreateTempSubdirectory("modular-prometheus.").FullName;
        // The rules the repository ships (deploy/prometheus), evaluated every second: the recording rules answer the
        // tests' questions, the alerts show pending (their "for" is longer than any test).
        File.Copy(Path.Combine(Tool.RepositoryRoot(), "deploy", "prometheus", "alerts.yml"), Path.Combine(directory, "alerts.yml"));
        var config = new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nrule_files:\n  - alerts.yml\nscrape_configs:\n");
        foreach (var (job, urls) in targets)
        {
            config.Append($"  - job_name: {job}\n    static_configs:\n      - targets: [");
            config.Append(string.Join(", ", urls.Select(u => $"'{u.Authority}'"))).Append("]\n");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), config.ToString());
        var url = new Uri($"http://127.0.0.1:{Server.FreeLoopbackPort()}");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={Path.Combine(directory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address={url.Authority}", "--web.enable-lifecycle",
                 })
            start.ArgumentList.Add(argument);
        var prometheus = new LocalPrometheus(Process.Start(start) ?? throw new InvalidOperationException("Could not start prometheus."), directory, url);
        await prometheus.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return prometheus;
    }

    /// <summary>An instant PromQL query's series: each one's labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await _http.GetAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(promQl)}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Prometheus refused {promQl}: {body}");
        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector") throw new InvalidOperationException($"{promQl} is not an instant vector: {body}");
        return data.GetProperty("result").EnumerateArray().Select(series => (
                (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(series.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Every scrape target's last scrape: its address and whether it was up.</summary>
    public async Task<IReadOnlyList<(string Target, bool Up)>> TargetsAsync()
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/v1/targets", UriKind.Relative)));
        return json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => (t.GetProperty("scrapeUrl").GetString()!, t.GetProperty("health").GetString() == "up")).ToList();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await _http.GetAsync(new Uri("/-/ready", UriKind.Relative))).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
        }

        throw new TimeoutException($"prometheus was not ready after {timeout.TotalSeconds:0} s:\n{Output}");
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
