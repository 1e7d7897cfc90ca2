using System.Globalization;
using System.Net;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>The monolith, told to drain for a while on SIGTERM (<c>Modular:Shutdown:Drain</c>), as the deployment files tell it.</summary>
public sealed class MonolithThatDrains : Topology
{
    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } =
        new Dictionary<string, string[]> { ["monolith"] = ["Catalog", "Ordering", "Payments"] };

    // Long enough for the test to see it serve while not ready however loaded the machine; the process then stops at once.
    protected override IEnumerable<string> ExtraSettings => ["--Modular:Shutdown:Drain=00:00:15"];
}

/// <summary>
/// Stopping without refusing (<c>GracefulStop</c>): a real SIGTERM makes the process answer <c>/health/ready</c> 503 while
/// it goes on serving, then it finishes what it has and exits 0; started again, it has lost nothing it accepted.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class GracefulStopTests(MonolithThatDrains topology) : IClassFixture<MonolithThatDrains>
{
    [Fact]
    public async Task on_sigterm_it_answers_not_ready_keeps_serving_exits_cleanly_and_loses_nothing_it_accepted()
    {
        using var shop = new ShopClient(topology);
        var product = await shop.AddProductAsync("STOP-1", 5m);
        await shop.SetSimulatorAsync(latencyMilliseconds: 300); // payments still in flight at the signal
        var orders = new List<Guid>();
        for (var i = 0; i < 5; i++) orders.Add(await shop.PlaceAsync($"stop-{i}", product, 1));
        var process = topology.ProcessOf("Ordering");

        (await Tool.RunAsync("kill", ["-TERM", process.ProcessId.ToString(CultureInfo.InvariantCulture)])).EnsureSuccess("sending SIGTERM");

        await ShopClient.EventuallyAsync(async () => (await shop.ReadinessAsync(process.Url)).Status == HttpStatusCode.ServiceUnavailable,
            "/health/ready still answered 200 after SIGTERM");
        orders.Add(await shop.PlaceAsync("stop-while-draining", product, 1)); // not ready, and still serving
        Assert.False(process.HasExited);

        await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{process.Output}");
        Assert.DoesNotContain("Unhandled exception", process.Output, StringComparison.Ordinal);

        await topology.RestartAsync(process);
        foreach (var order in orders)
        {
            await shop.WaitForOrderAsync(order, "Confirmed");
            Assert.Equal(("Captured", 5m), await shop.PaymentAsync(order) is { } payment ? (payment.Status, payment.Amount) : default);
        }
    }
}
