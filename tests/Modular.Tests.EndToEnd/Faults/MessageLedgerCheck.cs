using System.Globalization;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Faults;

/// <summary>
/// The message ledger as an operator's Prometheus sees it across a fault (ADR 0030): over the run, on every edge, what was
/// sent equals what was handled, dead-lettered or still waits — exactly, counted by Prometheus from every process's
/// series; the shipped recording rule agrees within its alert's tolerance; and no alert went off but the ones the fault
/// explains, pending only.
/// </summary>
public static class MessageLedgerCheck
{
    private const string Edge = "modular_sender, modular_message, modular_module";
    private static readonly string[] ExplainedByTheFault = ["ModularBacklogGrowing", "ModularGatewaySlow", "ModularMessagesUnbalanced"];

    /// <summary>Once Prometheus has scraped the ledger of every one of <paramref name="processes"/>: the moment the run starts from (Unix seconds).</summary>
    public static async Task<double> StartAsync(LocalPrometheus prometheus, int processes)
    {
        var now = (await prometheus.QueryAsync("vector(time())")).Single().Value.ToString("0.000", CultureInfo.InvariantCulture);
        // Every process scraped, its ledger and its waiting, after this moment: the run's start has each one's counts.
        await ShopClient.EventuallyAsync(async () =>
                (await prometheus.QueryAsync($"count by (instance) (timestamp(modular_ledger_sent_total) > {now})")).Count == processes
                && (await prometheus.QueryAsync($"count by (instance) (timestamp(modular_ledger_waiting) > {now})")).Count == processes,
            () => "Prometheus never scraped the ledger of every process", OrderRun.Patience);
        return (await prometheus.QueryAsync("vector(time())")).Single().Value;
    }

    /// <param name="orders">At least this many went through: the payment request edge must have carried them.</param>
    public static async Task BalancedSinceAsync(LocalPrometheus prometheus, double start, int orders, ITestOutputHelper output)
    {
        var at = start.ToString("0.000", CultureInfo.InvariantCulture);
        string Since(string series) => $"sum by ({Edge}) ({series} - {series} @ {at})";
        var balance = $"{Since("modular_ledger_sent_total")} - {Since("modular_ledger_handled_total")} - {Since("modular_ledger_dead_lettered_total")}"
                      + $" - ignoring (modular_sender) group_left sum by (modular_message, modular_module) (modular_ledger_waiting - modular_ledger_waiting @ {at})";
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> edges = [];
        await ShopClient.EventuallyAsync(async () => (edges = await prometheus.QueryAsync(balance)).Count >= 8 && edges.All(e => e.Value == 0),
            () => "the ledger did not balance: " + string.Join("; ", edges.Select(e => $"{Name(e.Labels)} {e.Value}")) + "\n" + Describe(prometheus, at),
            OrderRun.Patience);

        var sent = await prometheus.QueryAsync($"{Since("modular_ledger_sent_total")} > 0");
        output.WriteLine("ledger over the run: " + string.Join("; ", sent.Select(e => $"{Name(e.Labels)} sent {e.Value}")));
        Assert.Contains(sent, e => e.Labels["modular_message"] == "PaymentRequestedEvent" && e.Value >= orders);
        // The shipped rule, with its increase() extrapolation, within the alert's tolerance once it has evaluated the
        // drained system (every second here); that alert not even pending.
        const string Off = "abs(modular:edge_balance:10m) > 1 + 0.05 * modular:edge_sent:10m";
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> rule = [];
        await ShopClient.EventuallyAsync(async () => (rule = await prometheus.QueryAsync(Off)).Count == 0,
            () => "modular:edge_balance:10m stayed off: " + string.Join("; ", rule.Select(e => $"{Name(e.Labels)} {e.Value}")) + "\n" + Parts(prometheus),
            OrderRun.Patience);
        // What went off during the run. Expected while the broker is away and catches up: a growing backlog, the gateway
        // slowed by the load on two cores, an edge whose messages move from the outbox to the broker's queue between two
        // samples — pending only (their "for" is minutes): no alert fires. No deployment down, no 5xx, no dead letter.
        var alerts = await prometheus.QueryAsync("max by (alertname, alertstate) (max_over_time(ALERTS[10m]))");
        output.WriteLine("alerts during the run: " + string.Join(", ", alerts.Select(a => $"{a.Labels["alertname"]} {a.Labels["alertstate"]}")));
        Assert.All(alerts, a => Assert.Equal("pending", a.Labels["alertstate"]));
        Assert.All(alerts, a => Assert.Contains(a.Labels["alertname"], ExplainedByTheFault));
        // Balanced, the ledger's alert is no longer even pending.
        await ShopClient.EventuallyAsync(async () => (await prometheus.QueryAsync("ALERTS{alertname=\"ModularMessagesUnbalanced\"}")).Count == 0,
            () => "ModularMessagesUnbalanced stayed pending after the ledger balanced", OrderRun.Patience);
    }

    /// <summary>The rule's terms, per process, for the failure message.</summary>
    private static string Parts(LocalPrometheus prometheus)
    {
        var parts = new List<string>();
        foreach (var part in new[] { "increase(modular_ledger_sent_total[10m])", "increase(modular_ledger_handled_total[10m])",
                     "increase(modular_ledger_dead_lettered_total[10m])", "delta(modular_ledger_waiting[10m])" })
            parts.AddRange(prometheus.QueryAsync($"{part} != 0").GetAwaiter().GetResult()
                .Select(e => $"{part} {e.Labels.GetValueOrDefault("instance")} {Name(e.Labels)} {e.Value}"));
        return string.Join("\n", parts);
    }

    /// <summary>Each process's counts now and at the start, for the failure message.</summary>
    private static string Describe(LocalPrometheus prometheus, string at)
    {
        var lines = new List<string>();
        foreach (var series in new[] { "modular_ledger_sent_total", "modular_ledger_handled_total", "modular_ledger_dead_lettered_total", "modular_ledger_waiting" })
            foreach (var query in new[] { series, $"{series} @ {at}" })
                lines.AddRange(prometheus.QueryAsync($"{query} != 0").GetAwaiter().GetResult()
                    .Select(e => $"{query} {e.Labels.GetValueOrDefault("instance")} {Name(e.Labels)} {e.Value}"));
        return string.Join("\n", lines);
    }

    private static string Name(IReadOnlyDictionary<string, string> labels) =>
        $"{labels.GetValueOrDefault("modular_sender")} → {labels.GetValueOrDefault("modular_message")} → {labels.GetValueOrDefault("modular_module")}";
}
