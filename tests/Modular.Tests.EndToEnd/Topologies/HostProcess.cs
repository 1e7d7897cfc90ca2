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

    private readonly IReadOnlyList<string> _prefix;

    public HostProcess(string name, int port)
        : this(name, new Uri($"http://127.0.0.1:{port}"), [], new Uri($"http://127.0.0.1:{Server.FreeLoopbackPort()}"))
    {
    }

    /// <param name="prefix">A command the host runs under, e.g. <c>ip netns exec NAME</c> for a network namespace.</param>
    /// <param name="grpcUrl">Its gRPC listener (<c>Modular:GrpcUrl</c>); none when null.</param>
    /// <param name="managementUrl">Its operators' listener (<c>Modular:ManagementUrl</c>); none when null.</param>
    public HostProcess(string name, Uri url, IReadOnlyList<string> prefix, Uri? grpcUrl = null, Uri? managementUrl = null)
    {
        Name = name;
        Url = url;
        _prefix = prefix;
        GrpcUrl = grpcUrl;
        ManagementUrl = managementUrl;
    }

    public string Name { get; }
    public Uri Url { get; }
    public Uri? GrpcUrl { get; }
    public Uri? ManagementUrl { get; }

    /// <summary>A process like this one, not started: a restarted container on the same addresses.</summary>
    public HostProcess Fresh() => new(Name, Url, _prefix, GrpcUrl, ManagementUrl);
    public bool HasExited => _process is { HasExited: true };
    public string Output { get { lock (_output) return _output.ToString(); } }
    public int ExitCode => _process!.ExitCode;
    public int ProcessId => _process!.Id;

    /// <summary>The host this checkout builds (its tools, e.g. <c>token</c>, whatever <see cref="HostAssembly"/> runs).</summary>
    public static string BuiltHostAssembly { get; } =
        Path.Combine(Tool.RepositoryRoot(), "src", "Host", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0",
            "Modular.Host.dll");

    /// <summary>
    /// The Host's build output next to the tests (make test builds the whole solution first), or the one
    /// <c>MODULAR_TEST_HOST</c> names (bench/faults.sh runs the fault suite against an earlier build too).
    /// </summary>
    public static string HostAssembly { get; } = Environment.GetEnvironmentVariable("MODULAR_TEST_HOST") is { Length: > 0 } other
        ? other
        : BuiltHostAssembly;

    public void Start(IReadOnlyList<string> settings)
    {
        var command = _prefix.Concat(["dotnet", HostAssembly]).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(HostAssembly)!,
        };
        foreach (var word in command.Skip(1)) start.ArgumentList.Add(word);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Url.ToString());
        if (GrpcUrl is not null) start.ArgumentList.Add($"--Modular:GrpcUrl={GrpcUrl}");
        if (ManagementUrl is not null) start.ArgumentList.Add($"--Modular:ManagementUrl={ManagementUrl}");
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

    /// <summary>Waits until the process has exited and all of its output is read (a process expected to stop).</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process!.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not stop within {timeout}:\n{Output}");
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the process must drain, exit 0 and leave its output.</summary>
    public async Task StopAsync()
    {
        (await Tool.RunAsync("kill", ["-TERM", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("SIGTERM");
        await WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(ExitCode == 0, $"{Name} exited with {ExitCode}:\n{Output}");
    }

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
        UndeclaredEdges.Suite.Note(Name, line);
    }
}
