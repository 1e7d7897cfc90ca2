namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// The deployment hosting Payments is down while orders ask for payment. Nothing is lost: the requests
/// wait in its durable queue and are each handled once when it comes back.
/// </summary>
public abstract class ConsumerDownScenarios<TTopology>(TTopology topology) : IDisposable where TTopology : Topology
{
    private readonly ShopClient _shop = new(topology);

    [Fact]
    public async Task messages_published_while_the_consumer_is_down_are_each_delivered_once_when_it_returns()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var widget = await _shop.AddProductAsync($"DOWN-{run}", 10m);
        var payments = topology.ProcessOf("Payments");

        await payments.KillAsync();
        await AssertTheGatewayAnswersUnavailableAsync("/api/payments/simulator");
        var orders = new List<Guid>();
        for (var i = 0; i < 3; i++) orders.Add(await _shop.PlaceAsync($"down-{run}-{i}", widget, 1));
        foreach (var order in orders) await _shop.WaitForOrderAsync(order, "AwaitingPayment");

        await topology.RestartAsync(payments);

        foreach (var order in orders)
        {
            await _shop.WaitForOrderAsync(order, "Confirmed");
            Assert.Equal(1, (await _shop.LedgerAsync(order)).ChargeAttempts);
            Assert.Equal("Captured", (await _shop.PaymentAsync(order))!.Status);
        }
    }

    /// <summary>A module whose every instance is down: a 503 ProblemDetails, promptly, never a hang.</summary>
    private async Task AssertTheGatewayAnswersUnavailableAsync(string path)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var response = await _shop.GetAsync(path, deadline.Token);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("payments", await response.Content.ReadAsStringAsync(deadline.Token), StringComparison.OrdinalIgnoreCase);

        // The gateway stays ready (it serves its own modules) and says which deployment it cannot reach.
        await ShopClient.EventuallyAsync(async () =>
        {
            var ready = await _shop.GetAsync("/health/ready");
            var body = await ready.Content.ReadAsStringAsync();
            return ready.StatusCode == System.Net.HttpStatusCode.OK && body.Contains("\"deployments\":{\"status\":\"Degraded\"", StringComparison.Ordinal)
                && body.Contains("0 of 1 instances healthy", StringComparison.Ordinal);
        }, "the gateway's readiness never reported the deployment hosting Payments as unreachable");

        // The operations view shows that deployment down (the others up) without waiting on it, and refuses to replay there.
        var down = topology.DeploymentOf("Payments");
        ShopClient.Operations? view = null;
        await ShopClient.EventuallyAsync(async () =>
        {
            view = await _shop.OperationsAsync();
            return view.Deployments.Single(d => d.Name == down) is { Status: "down", Backlog: null };
        }, () => $"the operations view never showed {down} down: {System.Text.Json.JsonSerializer.Serialize(view)}");
        Assert.All(view!.Deployments.Where(d => d.Name != down), d => Assert.Equal("up", d.Status));
        var replay = await _shop.SendAsync(new HttpRequestMessage(HttpMethod.Post, _shop.GatewayUrl($"/api/admin/ops/deployments/{down}/dead-letters/{Guid.NewGuid()}/replay")));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, replay.StatusCode);
    }

    public void Dispose()
    {
        _shop.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Its own instance of the topology: these tests kill processes.</summary>
public sealed class EveryModuleOverRabbitMqForOutages : EveryModuleOverRabbitMq;

[Collection(EndToEndSuite.Name)]
public sealed class RabbitMqConsumerDown(EveryModuleOverRabbitMqForOutages topology)
    : ConsumerDownScenarios<EveryModuleOverRabbitMqForOutages>(topology), IClassFixture<EveryModuleOverRabbitMqForOutages>;

[Collection(EndToEndSuite.Name)]
public sealed class PostgresQueuesConsumerDown(OrderingOverPostgresQueues topology)
    : ConsumerDownScenarios<OrderingOverPostgresQueues>(topology), IClassFixture<OrderingOverPostgresQueues>;
