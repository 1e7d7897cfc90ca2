using System.Globalization;
using Modular.Tests.EndToEnd.Faults;
using Modular.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// Ordering, extracted into a deployment of its own, moves its data from the shared database to one of its own and
/// back while the system serves (ADR 0029): <c>move-data prepare</c> (a copy in the target, kept current by logical
/// replication, fenced); a second <c>ordering</c> instance starts with <c>ConnectionStrings:Ordering</c> pointing there
/// (fenced: not ready, and a request that reaches it the gateway sends to the other instance); <c>move-data switch</c>
/// (Ordering fenced in the source, caught up, unfenced in the target); the first instance stops on SIGTERM: a rolling
/// restart of the deployment. Then the same back to the shared database.
/// </summary>
public sealed class OrderingDataMoving : Topology
{
    private enum Phase { Shared, OwnDatabase, Back }

    private readonly int _firstPort = Server.FreeLoopbackPort();
    private readonly int _secondPort = Server.FreeLoopbackPort();
    private Phase _phase = Phase.Shared;
    private TestDatabase _own = null!;

    protected override string Transport => "PostgreSQL";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    public override string GatewayDeployment => "core";

    /// <summary>What each <c>move-data switch</c> said (how long Ordering was fenced).</summary>
    public List<string> Switches { get; } = [];

    // The gateway knows both of ordering's addresses from the start (one is down at any time but during a switch).
    // Ordering's own database is the admin's login there (as in docs/extracting-a-module.md).
    protected override IEnumerable<string> ExtraSettings =>
    [
        "--Modular:Shutdown:Drain=00:00:03", "--Logging:LogLevel:Modular.Platform.Composition.Fencing=Information",
        $"--Services:ordering:http:0=http://127.0.0.1:{_firstPort}", $"--Services:ordering:http:1=http://127.0.0.1:{_secondPort}",
        .. _phase == Phase.OwnDatabase ? [$"--ConnectionStrings:Ordering={_own.ConnectionString}"] : Array.Empty<string>(),
    ];

    protected override HostProcess CreateProcess(string deployment) => deployment == "ordering"
        ? new HostProcess(deployment, _phase == Phase.OwnDatabase ? _secondPort : _firstPort)
        : base.CreateProcess(deployment);

    // An instance on a copy that is not current yet is not ready: it is waited for as live and fenced (StartFencedAsync).
    protected override bool StartsReady(string deployment) => _phase == Phase.Shared || deployment != "ordering";

    protected override async Task StartServersAsync() => _own = await TestDatabase.CreateAsync("ordering_own");

    protected override async ValueTask StopServersAsync() => await _own.DisposeAsync();

    /// <summary>Ordering's data to its own database: prepare, a second instance on it, switch, the first one stopped.</summary>
    public async Task MoveOutAsync()
    {
        var first = Running().Single();
        await MoveDataAsync("prepare", from: DatabaseConnectionString, to: _own.ConnectionString);
        _phase = Phase.OwnDatabase;
        await StartFencedAsync();
        await MoveDataAsync("switch", from: DatabaseConnectionString, to: _own.ConnectionString);
        await first.StopAsync();
    }

    /// <summary>And back to the shared database, the same way.</summary>
    public async Task MoveBackAsync()
    {
        var second = Running().Single();
        await MoveDataAsync("prepare", from: _own.ConnectionString, to: DatabaseConnectionString);
        _phase = Phase.Back;
        await StartFencedAsync();
        await MoveDataAsync("switch", from: _own.ConnectionString, to: DatabaseConnectionString);
        await second.StopAsync();
    }

    /// <summary>A new ordering instance on the target: started, and fenced there until the switch (its readiness says so).</summary>
    private async Task StartFencedAsync()
    {
        await StartDeploymentsAsync(["ordering"]);
        var fresh = Running().Last();
        using var http = new HttpClient();
        await ShopClient.EventuallyAsync(async () =>
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(fresh.Url, "/health/ready"));
                return ready.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                       && (await ready.Content.ReadAsStringAsync()).Contains("fenced while its data moves: Ordering", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, () => $"the new ordering instance did not come up fenced:\n{fresh.Output}");
    }

    /// <summary>What Ordering's own database still holds in its message tables (its outbox there): no process reads them now.</summary>
    public async Task<string> LeftInOwnDatabaseAsync()
    {
        var schema = await _own.ScalarAsync<string>("SELECT schemaname FROM pg_tables WHERE tablename = 'wolverine_outgoing_envelopes'")
                     ?? throw new InvalidOperationException("Ordering's own database has no message tables: did Ordering ever run there?");
        return await _own.ScalarAsync<string>($"""
            SELECT coalesce(string_agg(what, ', '), '') FROM (
              SELECT format('%s incoming %s (%s)', count(*), status, string_agg(DISTINCT message_type, ' ')) AS what
                FROM {schema}.wolverine_incoming_envelopes WHERE status <> 'Handled' GROUP BY status
              UNION ALL SELECT format('%s outgoing (%s)', count(*), string_agg(DISTINCT message_type, ' ')) FROM {schema}.wolverine_outgoing_envelopes HAVING count(*) > 0
              UNION ALL SELECT format('%s dead letters', count(*)) FROM {schema}.wolverine_dead_letters HAVING count(*) > 0) left_over
            """) ?? "";
    }

    private async Task MoveDataAsync(string step, string from, string to)
    {
        var result = await Tool.RunAsync("dotnet", [HostProcess.BuiltHostAssembly, "move-data", step, "Ordering", "--from", from, "--to", to,
            "--patience", "120"]);
        if (result.ExitCode != 0) await DropReplicationAsync(); // a move cut short: its subscription and slot hold both databases
        result.EnsureSuccess($"move-data {step}");
        if (step == "switch") Switches.Add(result.Output.Trim());
    }

    private IEnumerable<HostProcess> Running() => Processes.Where(p => p.Name == "ordering" && !p.HasExited);

    /// <summary>A move cut short leaves its subscription (and the slot it reads): they would keep both databases from being dropped.</summary>
    private async Task DropReplicationAsync()
    {
        foreach (var database in new[] { _own.ConnectionString, DatabaseConnectionString })
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                DO $$DECLARE s text; BEGIN
                  FOR s IN SELECT subname FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) LOOP
                    EXECUTE format('ALTER SUBSCRIPTION %I DISABLE', s);
                    EXECUTE format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', s);
                    EXECUTE format('DROP SUBSCRIPTION %I', s);
                  END LOOP;
                END$$;
                SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>
/// The move of a module's data while it serves, proven from the outside: 1,000 orders or more through the gateway, 16 at
/// a time, while Ordering's data moves to its own database and back; every accepted order Confirmed and captured, none
/// missing or twice, no dead letter, no 500, every 503 with Retry-After; the 503 window and the pace are reported.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class MoveDataWhileServingTests(OrderingDataMoving topology, ITestOutputHelper output) : IClassFixture<OrderingDataMoving>
{
    [Fact]
    public async Task orderings_data_moves_to_its_own_database_and_back_while_orders_flow_and_nothing_is_lost()
    {
        using var run = new OrderRun(topology, output);
        await run.RunAsync("Ordering's data to its own database, then back", async () =>
        {
            await topology.MoveOutAsync();
            await topology.MoveBackAsync();
        }, orders: 1000, untilFaultIsOver: true, ordersPerSecond: 25, checkLedger: false);

        foreach (var line in topology.Switches) output.WriteLine(line);
        Assert.Equal(2, topology.Switches.Count);
        // Each switch fences Ordering for about a second; the gateway sends what a fenced instance refused to the other
        // one, so a client sees 503s only while both are fenced. Bounded loosely here (a loaded machine); the figure is reported.
        Assert.True(run.LastPace!.LongestUnavailableSeconds < 10, run.LastPace.ToString());
        Assert.Equal("", await topology.LeftInOwnDatabaseAsync());
    }
}
