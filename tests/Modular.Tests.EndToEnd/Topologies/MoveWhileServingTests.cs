using System.Globalization;
using Modular.Tests.EndToEnd.Faults;
using Modular.Tests.Support;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// Ordering moves out of the monolith and back while clients keep ordering through one front (<see cref="Front"/>):
/// the monolith; then <c>core</c> (Catalog, Payments; the gateway) and <c>ordering</c> start beside it on the same database
/// and transport, the front sends to both, and the monolith stops on SIGTERM; then a monolith starts again (the
/// transport named, so it also reads the modules' queues) and the two deployments stop. Each stopping process drains
/// (6 s: the front takes it out within 3), and what it leaves in its message store is taken over by the processes of the other map (ADR 0028).
/// </summary>
public abstract class OrderingMoving : Topology
{
    private enum Phase { Monolith, Extracted, BroughtBack }

    private static readonly Dictionary<string, string[]> Monolith = new() { ["monolith"] = ["Catalog", "Ordering", "Payments"] };

    private static readonly Dictionary<string, string[]> Extracted = new()
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    private readonly int _monolithPort = Server.FreeLoopbackPort();
    private readonly int _corePort = Server.FreeLoopbackPort();
    private Phase _phase = Phase.Monolith;

    protected abstract string MoveTransport { get; }

    /// <summary>Whether the monolith is killed (SIGKILL, as a crash) instead of stopped when Ordering moves out.</summary>
    public virtual bool CrashOnExtract => false;

    /// <summary>The monolith as it usually runs (no transport) at first; when it comes back, with the other map's transport.</summary>
    protected override string? Transport => _phase == Phase.Monolith ? null : MoveTransport;

    protected override IReadOnlyDictionary<string, string[]> Deployments => _phase == Phase.Extracted ? Extracted : Monolith;

    public override string GatewayDeployment => _phase == Phase.Extracted ? "core" : "monolith";

    public Front Front { get; private set; } = null!;

    public override Uri GatewayUrl => Front.Url;

    // A crashed process's messages pass on once its heartbeat is this old (Wolverine's default: 1 min).
    protected override IEnumerable<string> ExtraSettings =>
        ["--Modular:Shutdown:Drain=00:00:06", "--Modular:Topology:HandoverInterval=00:00:01",
            "--Modular:Durability:HealthCheckPollingTime=00:00:01", "--Modular:Durability:StaleNodeTimeout=00:00:10",
            "--Logging:LogLevel:Modular.Platform.Distribution.Handover=Information"]; // "Took over N messages …"

    protected override HostProcess CreateProcess(string deployment) => deployment switch
    {
        "monolith" => new HostProcess(deployment, _monolithPort),
        "core" => new HostProcess(deployment, _corePort),
        _ => base.CreateProcess(deployment),
    };

    protected override Task StartServersAsync()
    {
        Front = new Front(new Dictionary<string, int> { ["monolith"] = _monolithPort, ["core"] = _corePort });
        Front.Start();
        return Task.CompletedTask;
    }

    protected override async ValueTask StopServersAsync() => await Front.DisposeAsync();

    /// <summary>Starts <c>core</c> and <c>ordering</c> beside the monolith, waits until the front sends to them, stops the monolith.</summary>
    public async Task ExtractAsync()
    {
        var monolith = Running("monolith").Single();
        _phase = Phase.Extracted;
        await ProvisionRolesAsync();
        await StartDeploymentsAsync(["ordering", "core"]);
        await Front.WaitUntilAsync("core", serving: true);
        if (CrashOnExtract) await monolith.KillAsync();
        else await monolith.StopAsync();
    }

    /// <summary>Starts the monolith again beside <c>core</c> and <c>ordering</c>, waits until the front sends to it, stops them.</summary>
    public async Task BringBackAsync()
    {
        var extracted = Running("core").Concat(Running("ordering")).ToList();
        _phase = Phase.BroughtBack;
        await ProvisionRolesAsync();
        await RestartAsync(InstancesOfDeployment("monolith").Single());
        await Front.WaitUntilAsync("monolith", serving: true);
        await Task.WhenAll(extracted.Select(p => p.StopAsync()));
    }

    /// <summary>
    /// What the stores of the deployments that are gone (<c>core</c>, <c>ordering</c>) still hold: messages received and
    /// not handled, scheduled or not sent, and dead letters. Read in the database: no process serves these stores.
    /// </summary>
    public async Task<long> LeftInGoneStoresAsync()
    {
        var counts = Extracted.Keys.Select(d => $"wolverine_{d}").SelectMany(schema => new[]
        {
            $"(SELECT count(*) FROM {schema}.wolverine_incoming_envelopes WHERE status <> 'Handled')",
            $"(SELECT count(*) FROM {schema}.wolverine_outgoing_envelopes)",
            $"(SELECT count(*) FROM {schema}.wolverine_dead_letters)",
        });
        return await Database.ScalarAsync<long>($"SELECT {string.Join(" + ", counts)}");
    }

    private IEnumerable<HostProcess> Running(string deployment) => Processes.Where(p => p.Name == deployment && !p.HasExited);

}

public sealed class OrderingMovingOverPostgresqlQueues : OrderingMoving
{
    protected override string MoveTransport => "PostgreSQL";
}

public sealed class OrderingMovingOverRabbitMq : OrderingMoving
{
    protected override string MoveTransport => "RabbitMQ";
}

/// <summary>The move out with the monolith killed (SIGKILL) once the new map serves: what it held passes on after 10 s.</summary>
public sealed class OrderingMovingAfterACrash : OrderingMoving
{
    protected override string MoveTransport => "PostgreSQL";

    public override bool CrashOnExtract => true;
}

/// <summary>
/// The move, proven from the outside: 1,000 orders or more come through the front, 16 at a time, by a well-behaved
/// client (25 a second at most) while Ordering is extracted and brought back; every accepted order is Confirmed and its payment
/// Captured (the Payments module's record: the simulated provider's ledger stays in the process that charged), none is
/// missing or twice, no dead letter, every running deployment drained, no 500; the pace and any 502/503/504 are reported.
/// </summary>
public abstract class MoveWhileServingTests<TTopology>(TTopology topology, ITestOutputHelper output) where TTopology : OrderingMoving
{
    [Fact]
    public async Task ordering_moves_out_of_the_monolith_and_back_while_orders_flow_and_nothing_is_lost()
    {
        await topology.Front.WaitUntilAsync("monolith", serving: true);
        await topology.Front.WaitUntilAsync("core", serving: false);
        using var run = new OrderRun(topology, output);
        using var shop = new ShopClient(topology);
        using var frontLog = new FrontLog(topology.Front, output);
        await run.RunAsync("Ordering extracted, then brought back", async () =>
        {
            // Payments slowed to 2 s where they run, slower than orders come: each map stops with payments still queued.
            await shop.SetSimulatorAsync(flakyFailures: 0, latencyMilliseconds: 2000, at: topology.ProcessOf("Payments").Url);
            await topology.ExtractAsync();
            output.WriteLine($"extracted; the front: monolith {await topology.Front.StatusAsync("monolith")}, core {await topology.Front.StatusAsync("core")}");
            // The move is over when the new map holds everything the old one left (an operator's check before the next move).
            foreach (var process in topology.Processes.Where(p => p.Name is "core" or "ordering" && !p.HasExited))
                await ShopClient.EventuallyAsync(async () => (await shop.PendingAsync(process.Url)).HeldElsewhere == 0,
                    $"{process.Name} still counts messages for its modules in the monolith's store");
            await shop.SetSimulatorAsync(flakyFailures: 0, latencyMilliseconds: 2000, at: topology.ProcessOf("Payments").Url);
            await topology.BringBackAsync();
        }, orders: 1000, untilFaultIsOver: true, ordersPerSecond: 25, checkLedger: false);

        // The front took each stopping gateway out before it stopped serving. A crash is not a stop: what was in flight
        // at the killed monolith may come back 502/503/504, and the client sends it again.
        if (!topology.CrashOnExtract) Assert.Equal(0, run.LastPace!.Unavailable);
        var monolith = topology.ProcessOf("Ordering");
        var extracted = topology.Processes.Where(p => p.Name is "core" or "ordering").ToList();
        Assert.True(TookOver(extracted), "no process of the new map took over a message the monolith left: the move did not test the hand-over");
        Assert.True(TookOver([monolith]), "the monolith brought back took over nothing the extracted deployments left: the move did not test the hand-over");
        Assert.Equal(0, await topology.LeftInGoneStoresAsync()); // nothing waits in a store no one reads
    }

    /// <summary>Whether a process logged that it took over messages another deployment's store held (ADR 0028).</summary>
    private bool TookOver(IEnumerable<HostProcess> processes)
    {
        var lines = processes.SelectMany(p => p.Output.Split('\n').Where(l => l.Contains("Took over", StringComparison.Ordinal)).Select(l => $"{p.Name}: {l.Trim()}")).ToList();
        foreach (var line in lines) output.WriteLine(line);
        return lines.Count > 0;
    }
}

/// <summary>What the front saw of the gateways (up, down, and why), written to the test's output at the end.</summary>
internal sealed class FrontLog(Front front, ITestOutputHelper output) : IDisposable
{
    public void Dispose() => output.WriteLine($"the front:\n{front.Output}");
}

[Collection(EndToEndSuite.Name)]
public sealed class MoveOverPostgresqlQueuesTests(OrderingMovingOverPostgresqlQueues topology, ITestOutputHelper output)
    : MoveWhileServingTests<OrderingMovingOverPostgresqlQueues>(topology, output), IClassFixture<OrderingMovingOverPostgresqlQueues>;

[Collection(EndToEndSuite.Name)]
public sealed class MoveAfterACrashTests(OrderingMovingAfterACrash topology, ITestOutputHelper output)
    : MoveWhileServingTests<OrderingMovingAfterACrash>(topology, output), IClassFixture<OrderingMovingAfterACrash>;

[Collection(EndToEndSuite.Name)]
public sealed class MoveOverRabbitMqTests(OrderingMovingOverRabbitMq topology, ITestOutputHelper output)
    : MoveWhileServingTests<OrderingMovingOverRabbitMq>(topology, output), IClassFixture<OrderingMovingOverRabbitMq>;
