using System.Diagnostics;
using System.Text;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// The real host binary in its own process, configured by command-line settings, on a free loopback port.
/// Output is kept for the failure message when it does not become ready.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public HostProcess(string name, int port)
    {
        Name = name;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }
    public Uri Url { get; }
    public bool HasExited => _process is { HasExited: true };
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The Host's build output next to the tests (make test builds the whole solution first).</summary>
    public static string HostAssembly { get; } = Path.Combine(Tool.RepositoryRoot(), "src", "Host", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Modular.Host.dll");

    public void Start(IReadOnlyList<string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(HostAssembly)!,
        };
        start.ArgumentList.Add(HostAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Url.ToString());
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Task WaitUntilReadyAsync(TimeSpan timeout) =>
        Server.WaitUntilReadyAsync(Url, timeout, () => Task.FromResult($"{Name}:\n{Output}"),
            () => _process is { HasExited: true } p ? $"{Name} exited with code {p.ExitCode}" : null);

    /// <summary>Kills the process (as a crash or an evicted pod would): no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
