using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// A deployment topology brought up for real: one process per deployment, one fresh database, the transport
/// the map names. Scenarios only see <see cref="UrlOf"/>: the process that hosts a module.
/// </summary>
public abstract class Topology : IAsyncLifetime
{
    public const string RabbitMqVariable = "MODULAR_TEST_RABBITMQ";

    private readonly List<HostProcess> _processes = [];

    protected TestDatabase Database { get; private set; } = null!;

    /// <summary>Deployment name → its modules. One entry without a transport = the monolith, no map at all.</summary>
    protected abstract IReadOnlyDictionary<string, string[]> Deployments { get; }

    protected virtual string? Transport => null;

    /// <summary>Whether start-up waits for this deployment to be ready (a test may start one that cannot be).</summary>
    protected virtual bool StartsReady(string deployment) => true;

    /// <summary>The broker a deployment is told to use.</summary>
    protected virtual string RabbitMqUriFor(string deployment) => RabbitMqUri;

    public IReadOnlyList<HostProcess> Processes => _processes;

    public Uri UrlOf(string module) =>
        _processes.Single(p => Deployments[p.Name].Contains(module, StringComparer.OrdinalIgnoreCase)).Url;

    public HostProcess ProcessOf(string module) =>
        _processes.Single(p => Deployments[p.Name].Contains(module, StringComparer.OrdinalIgnoreCase));

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(GetType().Name);
        foreach (var name in Deployments.Keys) _processes.Add(new HostProcess(name, SettingsFor(name)));
        foreach (var process in _processes) process.Start();
        await Task.WhenAll(_processes.Where(p => StartsReady(p.Name)).Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
    }

    /// <summary>Brings a killed deployment back, as a restarted container would.</summary>
    public async Task RestartAsync(HostProcess process)
    {
        var index = _processes.IndexOf(process);
        await process.DisposeAsync();
        var fresh = new HostProcess(process.Name, SettingsFor(process.Name));
        _processes[index] = fresh;
        fresh.Start();
        await fresh.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    public IReadOnlyList<string> SettingsFor(string deployment)
    {
        var settings = new List<string> { $"--ConnectionStrings:Postgres={Database.ConnectionString}" };
        if (Transport is null) return settings; // the monolith: no map

        settings.Add($"--Modular:Deployment={deployment}");
        settings.Add($"--Modular:Topology:Transport={Transport}");
        foreach (var (name, modules) in Deployments)
            for (var i = 0; i < modules.Length; i++)
                settings.Add($"--Modular:Topology:Deployments:{name}:Modules:{i}={modules[i]}");
        if (Transport == "RabbitMQ") settings.Add($"--ConnectionStrings:RabbitMQ={RabbitMqUriFor(deployment)}");
        return settings;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }

    protected static string RabbitMqUri => Environment.GetEnvironmentVariable(RabbitMqVariable) is { Length: > 0 } uri
        ? uri
        : throw new InvalidOperationException($"{RabbitMqVariable} is not set: run `make test`, which starts RabbitMQ for the tests.");
}

/// <summary>(a) Every module in one process: the monolith, no broker.</summary>
public sealed class MonolithTopology : Topology
{
    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } =
        new Dictionary<string, string[]> { ["monolith"] = ["Catalog", "Ordering", "Payments"] };
}

/// <summary>(b) Every module in its own process; cross-module messages over RabbitMQ.</summary>
public class EveryModuleOverRabbitMq : Topology
{
    protected override string Transport => "RabbitMQ";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["catalog"] = ["Catalog"],
        ["ordering"] = ["Ordering"],
        ["payments"] = ["Payments"],
    };
}

/// <summary>(c) Ordering extracted; Catalog and Payments stay together; messages over PostgreSQL queues.</summary>
public sealed class OrderingOverPostgresQueues : Topology
{
    protected override string Transport => "PostgreSQL";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };
}
