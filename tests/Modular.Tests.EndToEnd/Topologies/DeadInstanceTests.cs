using System.Net;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// Ordering extracted, and the gateway told of two instances of it, one of which is not running (a stale
/// entry, a crashed pod): health probes are rare here, so only the gateway's own resend can hide it.
/// </summary>
public sealed class OrderingWithADeadInstanceListed : Topology
{
    private static readonly int NothingListens = Server.FreeLoopbackPort();

    protected override string Transport => "PostgreSQL";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    protected override IEnumerable<string> ExtraSettings =>
        [$"--Services:ordering:http:1=http://127.0.0.1:{NothingListens}", "--Modular:Gateway:HealthCheckInterval=00:10:00"];
}

[Collection(EndToEndSuite.Name)]
public sealed class DeadInstanceTests(OrderingWithADeadInstanceListed topology) : IClassFixture<OrderingWithADeadInstanceListed>, IDisposable
{
    private readonly ShopClient _shop = new(topology);

    [Fact]
    public async Task a_refused_connection_is_resent_to_a_live_instance_so_no_client_sees_it()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
            statuses.Add((await _shop.GetAsync("/api/ordering/orders?customerId=nobody")).StatusCode);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    public void Dispose() => _shop.Dispose();
}
