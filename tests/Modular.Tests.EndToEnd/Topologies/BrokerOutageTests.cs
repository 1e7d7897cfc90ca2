using System.Net;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>Catalog+Payments reach RabbitMQ; Ordering starts while its broker address answers nothing.</summary>
public sealed class OrderingStartsWithoutItsBroker : Topology
{
    public TcpForwarder Broker { get; } = CreateForwarder();

    protected override string Transport => "RabbitMQ";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    protected override bool StartsReady(string deployment) => deployment != "ordering";

    protected override string RabbitMqUriFor(string deployment) =>
        deployment == "ordering" ? new UriBuilder(RabbitMqUri) { Port = Broker.Port }.Uri.ToString() : RabbitMqUri;

    private static TcpForwarder CreateForwarder()
    {
        var real = new Uri(RabbitMqUri);
        return new TcpForwarder(Server.FreeLoopbackPort(), real.Host, real.Port);
    }
}

[Collection(EndToEndSuite.Name)]
public sealed class BrokerOutageTests(OrderingStartsWithoutItsBroker topology) : IClassFixture<OrderingStartsWithoutItsBroker>, IDisposable
{
    private readonly ShopClient _shop = new(topology);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task a_deployment_whose_broker_is_down_stays_up_not_ready_and_recovers_when_the_broker_appears()
    {
        var ordering = topology.ProcessOf("Ordering");
        var live = new Uri(ordering.Url, "/health/live");
        var ready = new Uri(ordering.Url, "/health/ready");

        await ShopClient.EventuallyAsync(async () => await StatusAsync(live) == HttpStatusCode.OK, "Ordering never answered /health/live");
        // Not ready, and still not ready (and alive) a few retry rounds later: no crash, no crash loop.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(ready));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(ready));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(live));
        // Ready means messaging has started, not only that the broker answers (a publish before that fails).
        var notReady = await (await _http.GetAsync(ready)).Content.ReadAsStringAsync();
        Assert.Contains("\"messaging\":{\"status\":\"Unhealthy\"", notReady, StringComparison.Ordinal);

        topology.Broker.Open();

        await ordering.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var widget = await _shop.AddProductAsync($"BACK-{Guid.NewGuid():N}"[..16], 10m); // Catalog -> Ordering over the broker
        var order = await _shop.PlaceAsync("recovered", widget, 1);
        await _shop.WaitForOrderAsync(order, "Confirmed");
    }

    private async Task<HttpStatusCode?> StatusAsync(Uri url)
    {
        try
        {
            return (await _http.GetAsync(url)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _shop.Dispose();
        _http.Dispose();
    }
}
