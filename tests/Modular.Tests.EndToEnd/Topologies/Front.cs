using System.Diagnostics;
using System.Text;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// The load balancer a user puts in front of the gateways: HAProxy from Debian's packages, balancing between the
/// gateways of every map that serves, and taking out one whose <c>/health/ready</c> fails (checked every second, out after
/// three failures: a loaded gateway may take a while to answer). A request whose connection was refused is sent to the other gateway; anything else the client sees.
/// </summary>
public sealed class Front : IAsyncDisposable
{
    public const string Variable = "MODULAR_HAPROXY";

    private readonly StringBuilder _output = new();
    private readonly int _statsPort = Server.FreeLoopbackPort();
    private Process? _process;

    /// <param name="gateways">The port of each gateway the front balances over (running or not yet): <c>monolith</c>, <c>core</c>.</param>
    public Front(IReadOnlyDictionary<string, int> gateways)
    {
        Gateways = gateways;
        Url = new Uri($"http://127.0.0.1:{Server.FreeLoopbackPort()}");
    }

    public Uri Url { get; }
    public IReadOnlyDictionary<string, int> Gateways { get; }

    private static string Binary => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/sbin/haproxy";

    public void Start()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"HAProxy is not at {Binary} ({Variable}): make test installs Debian's haproxy package.");
        // The front the repository ships (deploy/haproxy/haproxy.cfg), told its addresses as eng/move.sh tells it.
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in new[] { "-db", "-f", Path.Combine(Tool.RepositoryRoot(), "deploy", "haproxy", "haproxy.cfg") })
            start.ArgumentList.Add(word);
        start.Environment["FRONT"] = $"127.0.0.1:{Url.Port}";
        start.Environment["MONOLITH"] = $"127.0.0.1:{Gateways["monolith"]}";
        start.Environment["CORE"] = $"127.0.0.1:{Gateways["core"]}";
        start.Environment["STATS"] = $"127.0.0.1:{_statsPort}";
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start HAProxy.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the front sends to <paramref name="gateway"/> (<paramref name="serving"/>) or no longer does.</summary>
    public Task WaitUntilAsync(string gateway, bool serving) =>
        ShopClient.EventuallyAsync(async () => (await StatusAsync(gateway)).StartsWith(serving ? "UP" : "DOWN", StringComparison.Ordinal),
            () => $"the front never saw {gateway} {(serving ? "up" : "down")}:\n{Output}");

    /// <summary>HAProxy's view of a gateway: UP, DOWN, or on its way ("UP 1/2").</summary>
    public async Task<string> StatusAsync(string gateway)
    {
        using var http = new HttpClient();
        var csv = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_statsPort}/stats;csv"));
        var header = csv.Split('\n')[0].TrimStart('#', ' ').Split(',');
        var status = Array.IndexOf(header, "status");
        return csv.Split('\n').Select(line => line.Split(','))
            .FirstOrDefault(f => f.Length > status && f[0] == "gateways" && f[1] == gateway)?[status]
            ?? throw new InvalidOperationException($"The front has no gateway {gateway}: {csv}");
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
