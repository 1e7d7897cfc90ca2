using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;
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
    protected TTopology Topology => topology;

    protected OrderRun Run { get; } = new(topology, output);

    protected ITestOutputHelper Output { get; } = output;

    [Fact]
    public Task a_database_crash_and_restart_loses_nothing() =>
        Run.RunAsync("postgres-immediate-restart", topology.CrashAndRestartDatabaseAsync);

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
            await Run.RunAsync("ordering-instance-kill", victim.KillAsync);
        }
        finally
        {
            await Topology.RestartAsync(victim); // the next scenario starts from two instances again
        }
    }
}

[Collection(EndToEndSuite.Name)]
public sealed class MonolithFaults(FaultyMonolith topology, ITestOutputHelper output)
    : FaultScenarios<FaultyMonolith>(topology, output), IClassFixture<FaultyMonolith>
{
    [Fact]
    public async Task with_its_database_down_a_deployment_still_serves_liveness_metrics_and_the_operations_view()
    {
        var monolith = Topology.Processes[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await Topologies.Topology.TokenAsync("operator", "admin"));
        await Topology.Postgres.CrashAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(monolith.Url, "/health/live"))).StatusCode);
            await ShopClient.EventuallyAsync(async () => (await http.GetAsync(new Uri(monolith.Url, "/health/ready"))).StatusCode == HttpStatusCode.ServiceUnavailable,
                "readiness never noticed the database was down");
            // Scraped without waiting on the database: the backlog gauges go absent and say why (up = 0).
            var metrics = "";
            await ShopClient.EventuallyAsync(async () =>
            {
                using var response = await http.GetAsync(new Uri(monolith.Url, "/metrics"));
                metrics = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.OK && System.Text.RegularExpressions.Regex.IsMatch(metrics, @"(?m)^modular_backlog_up\{[^}]*\} 0\b");
            }, () => $"/metrics never said the backlog is unreadable:\n{metrics[..Math.Min(2000, metrics.Length)]}");
            Assert.DoesNotContain("modular_messages_backlog{", metrics, StringComparison.Ordinal);
            // The operations view answers too: the deployment is up, its store is not.
            var view = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(monolith.Url, "/api/admin/ops"));
            Assert.Equal("degraded", view.GetProperty("deployments")[0].GetProperty("status").GetString());
        }
        finally
        {
            await Topology.Postgres.StartAgainAsync();
            await monolith.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        }
    }
}

[Collection(EndToEndSuite.Name)]
public sealed class RabbitMqFaults(FaultyOrderingTwiceOverRabbitMq topology, ITestOutputHelper output)
    : ExtractedFaultScenarios<FaultyOrderingTwiceOverRabbitMq>(topology, output), IClassFixture<FaultyOrderingTwiceOverRabbitMq>
{
    [Fact]
    public async Task a_broker_killed_and_restarted_loses_nothing_and_its_clients_stay_ready_meanwhile()
    {
        using var shop = new ShopClient(Topology);
        var ordering = Topology.ProcessOf("Ordering");
        var probes = new List<string>();
        // A real Prometheus watches the run with the shipped rules: afterwards every edge of the ledger balances.
        await using var prometheus = await LocalPrometheus.StartAsync(Topology.ScrapeTargets());
        var start = await MessageLedgerCheck.StartAsync(prometheus, Topology.Processes.Count);
        await Run.RunAsync("rabbitmq-kill-9-restart", () => Topology.KillAndRestartBrokerAsync(() =>
            // Orders are still accepted into the outbox: degraded, not unready (an orchestrator keeps the pod).
            ShopClient.EventuallyAsync(async () =>
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    var (status, body) = await shop.ReadinessAsync(ordering.Url);
                    probes.Add($"{(int)status} after {clock.ElapsedMilliseconds} ms: {body}");
                    return body.Contains("\"rabbitmq\":{\"status\":\"Degraded\"", StringComparison.Ordinal);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    probes.Add($"{e.GetType().Name} after {clock.ElapsedMilliseconds} ms: {e.Message}");
                    return false;
                }
            }, () => $"readiness during the outage: {string.Join("; ", probes)}", TimeSpan.FromSeconds(8))));
        Output.WriteLine(string.Join("\n", probes));
        Assert.StartsWith("200 ", probes[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(probes, probe => probe.StartsWith("503 ", StringComparison.Ordinal));

        await MessageLedgerCheck.BalancedSinceAsync(prometheus, start, OrderRun.Orders, Output);
    }

    [Fact]
    public async Task a_poison_message_is_dead_lettered_once_in_the_database_kept_across_a_broker_restart_and_replayed()
    {
        using var shop = new ShopClient(Topology);
        var payments = Topology.ProcessOf("Payments").Url;
        var product = await shop.AddProductAsync($"DLQ-{Guid.NewGuid():N}"[..16], 10m);
        foreach (var process in Topology.Processes) // the probe order that found the product has been paid
            await shop.WaitUntilDrainedAsync(process);
        await shop.SetSimulatorAsync(merchantMisconfigured: true); // every charge now fails for good
        try
        {
            var order = await shop.PlaceAsync("poison", product, 1);
            List<ShopClient.DeadLetter> letters = [];
            await ShopClient.EventuallyAsync(async () => (letters = await shop.DeadLettersAsync(payments)).Count > 0,
                "the failed payment request never showed up in the dead letters");
            var letter = Assert.Single(letters);
            Assert.Contains("PaymentRequested", letter.MessageType, StringComparison.Ordinal);
            Assert.Equal(1, (await shop.LedgerAsync(order)).ChargeAttempts); // tried once: retrying will not help

            await Topology.KillAndRestartBrokerAsync();

            // In the deployment's database, not in a broker queue: still there, and one entry. If the broker died
            // before it processed the delivery's ack, it delivers the message once more (at least once): that is one
            // more attempt and the same dead letter, not a retry loop.
            await shop.WaitUntilDrainedAsync(Topology.ProcessOf("Payments"), OrderRun.Patience);
            Assert.Equal(letter.Id, Assert.Single(await shop.DeadLettersAsync(payments)).Id);
            Assert.InRange((await shop.LedgerAsync(order)).ChargeAttempts, 1, 2);
            await shop.SetSimulatorAsync(); // the merchant configuration is fixed
            await shop.ReplayAsync(payments, letter.Id);
            await shop.WaitForOrderAsync(order, "Confirmed", patience: OrderRun.Patience);
            Assert.Empty(await shop.DeadLettersAsync(payments));
        }
        finally
        {
            await shop.SetSimulatorAsync();
        }
    }
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
        _run.RunAsync("ordering-broker-link-cut-20s", () => topology.CutAsync("broker"));

    [Fact]
    public Task cutting_ordering_off_the_database_for_20_s_loses_nothing() =>
        _run.RunAsync("ordering-database-link-cut-20s", () => topology.CutAsync("database"));

    public void Dispose() => _run.Dispose();
}
