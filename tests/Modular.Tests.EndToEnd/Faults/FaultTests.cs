using Modular.Tests.EndToEnd.Topologies;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Faults;

/// <summary>
/// The fault suite: for each fault the product claims to survive, a few hundred orders through the gateway with the
/// fault injected mid-run, judged from the outside by <see cref="OrderRun"/>. Figures: bench/faults.sh,
/// docs/reliability.md.
/// </summary>
public abstract class FaultScenarios<TTopology>(TTopology topology, ITestOutputHelper output) : IDisposable
    where TTopology : FaultTopology
{
    public const int Orders = 200;
    public const int InFlight = 16;

    protected TTopology Topology => topology;

    protected OrderRun Run { get; } = new(topology, output);

    [Fact]
    public Task a_database_crash_and_restart_loses_nothing() =>
        Run.RunAsync("postgres-immediate-restart", Orders, InFlight, topology.CrashAndRestartDatabaseAsync);

    public void Dispose()
    {
        Run.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Faults of a topology where Ordering runs twice: one instance is killed too.</summary>
public abstract class ExtractedFaultScenarios<TTopology>(TTopology topology, ITestOutputHelper output)
    : FaultScenarios<TTopology>(topology, output)
    where TTopology : FaultyOrderingTwice
{
    [Fact]
    public async Task killing_an_instance_loses_nothing()
    {
        var victim = Topology.InstancesOfDeployment("ordering")[0];
        try
        {
            await Run.RunAsync("ordering-instance-kill", Orders, InFlight, victim.KillAsync);
        }
        finally
        {
            await Topology.RestartAsync(victim); // the next scenario starts from two instances again
        }
    }
}

[Collection(EndToEndSuite.Name)]
public sealed class MonolithFaults(FaultyMonolith topology, ITestOutputHelper output)
    : FaultScenarios<FaultyMonolith>(topology, output), IClassFixture<FaultyMonolith>;

[Collection(EndToEndSuite.Name)]
public sealed class RabbitMqFaults(FaultyOrderingTwiceOverRabbitMq topology, ITestOutputHelper output)
    : ExtractedFaultScenarios<FaultyOrderingTwiceOverRabbitMq>(topology, output), IClassFixture<FaultyOrderingTwiceOverRabbitMq>
{
    [Fact]
    public Task a_broker_killed_and_restarted_loses_nothing() =>
        Run.RunAsync("rabbitmq-kill-9-restart", Orders, InFlight, Topology.KillAndRestartBrokerAsync);
}

[Collection(EndToEndSuite.Name)]
public sealed class PostgresQueuesFaults(FaultyOrderingTwiceOverPostgresQueues topology, ITestOutputHelper output)
    : ExtractedFaultScenarios<FaultyOrderingTwiceOverPostgresQueues>(topology, output), IClassFixture<FaultyOrderingTwiceOverPostgresQueues>;

/// <summary>Network faults between processes: Ordering, in a network namespace of its own, is cut off for 20 s.</summary>
[Collection(EndToEndSuite.Name)]
public sealed class NetworkFaults(FaultyOrderingOnItsOwnNetwork topology, ITestOutputHelper output)
    : IClassFixture<FaultyOrderingOnItsOwnNetwork>, IDisposable
{
    private readonly OrderRun _run = new(topology, output);

    [Fact]
    public Task cutting_ordering_off_the_broker_for_20_s_loses_nothing() =>
        _run.RunAsync("ordering-broker-link-cut-20s", FaultScenarios<FaultyMonolith>.Orders, FaultScenarios<FaultyMonolith>.InFlight,
            () => topology.CutAsync("broker"));

    [Fact]
    public Task cutting_ordering_off_the_database_for_20_s_loses_nothing() =>
        _run.RunAsync("ordering-database-link-cut-20s", FaultScenarios<FaultyMonolith>.Orders, FaultScenarios<FaultyMonolith>.InFlight,
            () => topology.CutAsync("database"));

    public void Dispose() => _run.Dispose();
}
