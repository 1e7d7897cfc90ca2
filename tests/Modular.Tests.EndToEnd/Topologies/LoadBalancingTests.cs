using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// Ordering extracted and run twice behind the gateway (Catalog and Payments stay in "core"): the two
/// instances compete for Ordering's queue and share the gateway's HTTP traffic.
/// </summary>
public abstract class OrderingTwiceBehindGateway : Topology
{

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    protected override int InstancesOf(string deployment) => deployment == "ordering" ? 2 : 1;

    // A killed instance may leave accepted messages in its inbox: let the survivor take them over within seconds.
    // Each instance logs the requests it serves, to see the gateway spread them.
    protected override IEnumerable<string> ExtraSettings =>
        ["--Modular:Durability:HealthCheckPollingTime=00:00:01", "--Modular:Durability:StaleNodeTimeout=00:00:05",
         "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information"];
}

public sealed class OrderingTwiceOverRabbitMq : OrderingTwiceBehindGateway
{
    protected override string Transport => "RabbitMQ";
}

public sealed class OrderingTwiceOverPostgresQueues : OrderingTwiceBehindGateway
{
    protected override string Transport => "PostgreSQL";
}

public abstract class LoadBalancingScenarios<TTopology>(TTopology topology, ITestOutputHelper output) : IDisposable
    where TTopology : OrderingTwiceBehindGateway
{
    private const int Orders = 60;
    private const int InFlight = 6;
    private readonly ShopClient _shop = new(topology);

    [Fact]
    public async Task killing_one_of_two_instances_in_the_middle_of_a_run_fails_no_order_and_charges_each_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await _shop.SetSimulatorAsync();
        var widget = await _shop.AddProductAsync($"LB-{run}", 10m);
        var victim = topology.InstancesOfDeployment("ordering")[0];
        var placed = new List<Guid>();
        var killed = false;

        for (var batch = 0; batch < Orders / InFlight; batch++)
        {
            if (!killed && placed.Count >= Orders / 3)
            {
                Assert.All(topology.InstancesOfDeployment("ordering"), instance =>
                    Assert.Matches(@"POST http://\S+/api/ordering/orders ", instance.Output)); // both served orders
                var kill = victim.KillAsync(); // while the next batch is on its way
                placed.AddRange(await PlaceBatchAsync(run, widget, batch));
                await kill;
                killed = true;
                continue;
            }

            placed.AddRange(await PlaceBatchAsync(run, widget, batch));
        }

        output.WriteLine($"{placed.Count} orders placed, {_shop.Retries} sent again after a 5xx from the gateway");
        Assert.True(victim.HasExited);
        Assert.Equal(Orders, placed.Distinct().Count());
        await ShopClient.EventuallyAsync(async () =>
            (await (await _shop.GetAsync("/health/ready")).Content.ReadAsStringAsync())
            .Contains("ordering: 1 of 2 instances healthy", StringComparison.Ordinal), "the gateway never took the killed instance out");
        foreach (var order in placed)
        {
            await _shop.WaitForOrderAsync(order, "Confirmed", patience: TimeSpan.FromSeconds(120));
            var ledger = await _shop.LedgerAsync(order);
            Assert.Equal(1, ledger.ChargeAttempts);
            Assert.Equal(10m, ledger.CapturedAmount);
        }
    }

    private Task<Guid[]> PlaceBatchAsync(string run, Guid product, int batch) =>
        Task.WhenAll(Enumerable.Range(0, InFlight).Select(i => _shop.PlaceAsync($"lb-{run}-{batch}-{i}", product, 1)));

    public void Dispose()
    {
        _shop.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Collection(EndToEndSuite.Name)]
public sealed class RabbitMqLoadBalancing(OrderingTwiceOverRabbitMq topology, ITestOutputHelper output)
    : LoadBalancingScenarios<OrderingTwiceOverRabbitMq>(topology, output), IClassFixture<OrderingTwiceOverRabbitMq>;

[Collection(EndToEndSuite.Name)]
public sealed class PostgresQueuesLoadBalancing(OrderingTwiceOverPostgresQueues topology, ITestOutputHelper output)
    : LoadBalancingScenarios<OrderingTwiceOverPostgresQueues>(topology, output), IClassFixture<OrderingTwiceOverPostgresQueues>;
