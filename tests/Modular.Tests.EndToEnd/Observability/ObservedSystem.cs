using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Observability;

/// <summary>
/// Every module in its own process over RabbitMQ, with metrics and JSON logs on (as the container image has them), the
/// modules' own log lines and the gateway's request lines kept.
/// </summary>
public sealed class ObservedTopology : EveryModuleOverRabbitMq
{
    protected override IEnumerable<string> ExtraSettings =>
    [
        "--Modular:Metrics:Enabled=true", "--Modular:Metrics:BacklogSeconds=1", "--Modular:Logging:Format=json",
        "--Logging:LogLevel:Modular=Information", "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
    ];
}

/// <summary>
/// The extracted topology watched by a real Prometheus that scrapes every deployment each second, after an order flow
/// that touched every module, failed for good once (a misconfigured merchant: dead letter in Payments) and was
/// replayed — so every question an operator asks has something to answer.
/// </summary>
public sealed class ObservedSystem : IAsyncLifetime
{
    public ObservedTopology Topology { get; } = new();

    public LocalPrometheus Prometheus { get; private set; } = null!;

    /// <summary>The order of the flow that went through at once.</summary>
    public Guid ConfirmedOrder { get; private set; }

    /// <summary>The order of the flow, confirmed after its replayed dead letter.</summary>
    public Guid ReplayedOrder { get; private set; }

    public async Task InitializeAsync()
    {
        await Topology.InitializeAsync();
        Prometheus = await LocalPrometheus.StartAsync(Topology.ScrapeTargets());

        using var shop = new ShopClient(Topology);
        await shop.SetSimulatorAsync();
        var product = await shop.AddProductAsync($"OBS-{Guid.NewGuid():N}"[..12], 4m);
        ConfirmedOrder = await shop.PlaceAsync("observed", product, 1);
        await shop.WaitForOrderAsync(ConfirmedOrder, "Confirmed");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await shop.GetAsync($"/api/ordering/orders/{Guid.NewGuid()}")).StatusCode);

        await shop.SetSimulatorAsync(merchantMisconfigured: true);
        ReplayedOrder = await shop.PlaceAsync("observed-failing", product, 1);
        var payments = Topology.ProcessOf("Payments").Url;
        await ShopClient.EventuallyAsync(async () => (await shop.DeadLettersAsync(payments)).Count > 0, "the payment never failed for good");
        // Scraped while it waits, so the dead-letter gauge has seen it.
        await ShopClient.EventuallyAsync(async () => (await Prometheus.QueryAsync("modular_messages_backlog{state=\"dead_letter\"} > 0")).Count > 0,
            "Prometheus never saw the dead letter");
        await shop.SetSimulatorAsync();
        foreach (var letter in await shop.DeadLettersAsync(payments)) await shop.ReplayAsync(payments, letter.Id);
        await shop.WaitForOrderAsync(ReplayedOrder, "Confirmed");
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        await Topology.DisposeAsync();
    }
}
