using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;
using Npgsql;

namespace Modular.Tests.EndToEnd.Faults;

/// <summary>
/// A topology with servers of its own, durable as in production (PostgreSQL with fsync on, RabbitMQ persisting
/// to disk), so a test may crash them without touching the other tests' servers.
/// </summary>
public abstract class FaultTopology : Topology
{
    private LocalPostgres? _postgres;
    private LocalRabbitMq? _rabbitMq;

    public LocalPostgres Postgres => _postgres ?? throw new InvalidOperationException("The topology has not started.");

    public LocalRabbitMq RabbitMq => _rabbitMq ?? throw new InvalidOperationException($"{GetType().Name} has no broker.");

    protected override string? DatabaseServer => Postgres.ServerConnectionString;

    protected override string RabbitMqUriFor(string deployment) => RabbitMq.Uri.ToString();

    // A dead instance's accepted messages pass to a live one within seconds; production keeps 1 min.
    protected override IEnumerable<string> ExtraSettings =>
        ["--Modular:Durability:HealthCheckPollingTime=00:00:01", "--Modular:Durability:StaleNodeTimeout=00:00:05"];

    protected override Task StartServersAsync() => StartServersAsync(null, null);

    /// <param name="postgresAlsoOn">An address PostgreSQL listens on besides loopback.</param>
    /// <param name="rabbitMqAlsoOn">An address RabbitMQ listens on besides loopback.</param>
    protected async Task StartServersAsync(string? postgresAlsoOn, string? rabbitMqAlsoOn)
    {
        _postgres = await LocalPostgres.StartAsync(postgresAlsoOn);
        if (Transport == "RabbitMQ") _rabbitMq = await LocalRabbitMq.StartAsync(rabbitMqAlsoOn);
    }

    protected override async ValueTask StopServersAsync()
    {
        if (_rabbitMq is not null) await _rabbitMq.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    /// <summary>The database server crashes (no checkpoint, every connection cut) and is back after a few seconds.</summary>
    public async Task CrashAndRestartDatabaseAsync()
    {
        await Postgres.CrashAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Postgres.StartAgainAsync();
    }

    /// <summary>The broker is killed with SIGKILL and started again 10 s later; <paramref name="meanwhile"/> runs in between.</summary>
    public async Task KillAndRestartBrokerAsync(Func<Task>? meanwhile = null)
    {
        await RabbitMq.KillAsync();
        var outage = Task.Delay(TimeSpan.FromSeconds(10));
        if (meanwhile is not null) await meanwhile();
        await outage;
        await RabbitMq.StartAgainAsync();
    }
}

public sealed class FaultyMonolith : FaultTopology
{
    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } =
        new Dictionary<string, string[]> { ["monolith"] = ["Catalog", "Ordering", "Payments"] };

    // Metrics on, as in the image: what is left of them while the database is down is part of the story.
    protected override IEnumerable<string> ExtraSettings => [.. base.ExtraSettings, "--Modular:Metrics:Enabled=true", "--Modular:Metrics:BacklogSeconds=1"];
}

/// <summary>Ordering extracted and run twice behind the gateway ("core": Catalog, Payments).</summary>
public abstract class FaultyOrderingTwice : FaultTopology
{
    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    protected override int InstancesOf(string deployment) => deployment == "ordering" ? 2 : 1;

    // Metrics on, as in the image: the broker's fault is also checked against the message ledger Prometheus keeps.
    protected override IEnumerable<string> ExtraSettings => [.. base.ExtraSettings, "--Modular:Metrics:Enabled=true", "--Modular:Metrics:BacklogSeconds=1"];
}

public sealed class FaultyOrderingTwiceOverRabbitMq : FaultyOrderingTwice
{
    protected override string Transport => "RabbitMQ";
}

public sealed class FaultyOrderingTwiceOverPostgresQueues : FaultyOrderingTwice
{
    protected override string Transport => "PostgreSQL";
}

/// <summary>
/// Ordering in a network namespace of its own, as if on another machine; the gateway ("core": Catalog, Payments),
/// PostgreSQL and RabbitMQ stay on this one. Ordering reaches each over its own link ("http" from the gateway,
/// "broker", "database"), so a test can cut Ordering off from one of them and leave the rest working.
/// </summary>
public sealed class FaultyOrderingOnItsOwnNetwork : FaultTopology
{
    private NetworkNamespace? _network;

    public NetworkNamespace Network => _network ?? throw new InvalidOperationException("The topology has not started.");

    protected override string Transport => "RabbitMQ";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    protected override async Task StartServersAsync()
    {
        _network = await NetworkNamespace.CreateAsync("http", "broker", "database");
        // Each server also listens on the machine's end of the link Ordering reaches it by.
        await StartServersAsync(Network["database"].HostAddress, Network["broker"].HostAddress);
    }

    protected override HostProcess CreateProcess(string deployment) => deployment == "ordering"
        ? new HostProcess(deployment, new Uri($"http://{Network["http"].InnerAddress}:{Server.FreeLoopbackPort()}"), Network.ExecPrefix)
        : base.CreateProcess(deployment);

    protected override string DatabaseConnectionStringFor(string deployment) => deployment == "ordering"
        ? new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = Network["database"].HostAddress }.ConnectionString
        : base.DatabaseConnectionStringFor(deployment);

    protected override string RabbitMqUriFor(string deployment) => deployment == "ordering"
        ? new UriBuilder(RabbitMq.Uri) { Host = Network["broker"].HostAddress }.Uri.ToString()
        : base.RabbitMqUriFor(deployment);

    /// <summary>Ordering loses its link to <paramref name="purpose"/> ("broker" or "database") for 20 s.</summary>
    public async Task CutAsync(string purpose)
    {
        await Network.CutAsync(purpose);
        await Task.Delay(TimeSpan.FromSeconds(20));
        await Network.RestoreAsync(purpose);
    }

    protected override async ValueTask StopServersAsync()
    {
        await base.StopServersAsync();
        if (_network is not null) await _network.DisposeAsync();
    }
}
