using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modular.Modules.Catalog.Contracts;
using Modular.Platform.Distribution.Operations;
using Wolverine;

namespace Modular.Tests.Integration.Ordering;

/// <summary>
/// The message ledger (ADR 0030) on the real flow: each edge's messages counted once sent, once handled or dead-lettered,
/// a replay counted as a new send of the same edge, so every edge balances; a message on an edge the module map does
/// not declare is counted apart and logged. The Prometheus series are checked end to end, where each host has a process
/// of its own (ObservabilityTests, the broker fault): here several hosts share the test process, and with it the
/// meters' names, which OpenTelemetry merges across hosts.
/// </summary>
[Collection(OrderingSuite.Name)]
public sealed class MessageLedgerTests(ModularApp app) : OrderingTest(app)
{
    private MessageLedger Ledger => Host.Services.GetRequiredService<MessageLedger>();

    [Fact]
    public async Task every_edge_balances_through_orders_a_dead_letter_and_its_replay()
    {
        var before = Ledger.Snapshot();
        var widget = await AddProductAsync("LED-1", 10m);
        await PlaceAsync(AnOrder("lena", (widget, 1)));
        Simulator.MerchantMisconfigured = true;
        var (failed, _) = await PlaceAsync(AnOrder("lena", (widget, 2)), failuresExpected: true);
        var letter = Assert.Single((await (await Host.Scenario(x => x.Get.Url("/api/admin/dead-letters"))).ReadAsJsonAsync<List<DeadLetter>>())!);
        Assert.Equal(("Ordering", "Payments"), (letter.Sender, letter.Module)); // its edge, which /ops links to
        Simulator.MerchantMisconfigured = false;
        await App.TrackAsync(() => Host.Scenario(x =>
        {
            x.Post.Url($"/api/admin/dead-letters/{letter.Id}/replay");
            x.StatusCodeShouldBe(202);
        }));
        Assert.Equal(Modular.Modules.Ordering.OrderStatus.Confirmed, (await GetOrderAsync(failed)).Status);

        var counted = Since(before, Ledger.Snapshot());
        Assert.Equal((1, 1, 0), counted[("Catalog", "ProductAddedEvent", "Ordering")]);
        // The failed request: sent, dead-lettered, sent again by the replay, handled.
        Assert.Equal((3, 2, 1), counted[("Ordering", "PaymentRequestedEvent", "Payments")]);
        Assert.Equal((2, 2, 0), counted[("Payments", "PaymentCapturedEvent", "Ordering")]);
        Assert.All(counted, edge => Assert.Equal(edge.Value.Sent, edge.Value.Handled + edge.Value.DeadLettered));
        Assert.All(Ledger.Snapshot().Where(e => counted[(e.Sender, e.Message, e.Module)] != (0, 0, 0)),
            edge => Assert.True(edge.Declared, $"{edge} is not declared"));

        // The same counts on the operations view, with this process as the deployment's instance.
        var view = (await (await Host.Scenario(x => x.Get.Url("/api/admin/ops"))).ReadAsJsonAsync<OperationsView>())!;
        var monolith = Assert.Single(view.Deployments);
        Assert.Single(monolith.Instances!);
        Assert.Contains(monolith.Ledger!, e => e is { Sender: "Ordering", Message: "PaymentRequestedEvent", Module: "Payments", DeadLettered: 1 });
        Assert.Contains(monolith.Speeds!, s => s.Module == "Payments" && s.MessagesPerSecond > 0 && s.MessageP95Ms > 0 && s.MessageFailedShare > 0);
        Assert.Contains(monolith.Speeds!, s => s.Module == "Ordering" && s.RequestsPerSecond > 0 && s.RequestP95Ms > 0);
    }

    [Fact]
    public async Task a_message_on_an_edge_the_map_does_not_declare_is_counted_apart_and_logged()
    {
        // Catalog declares ProductAddedEvent; here Payments claims to send it (as a module that published another's
        // contract would): Ordering handles it, on an edge the module map does not have.
        var logged = new LogLines();
        Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(logged);
        var bus = Host.Services.GetRequiredService<IMessageBus>();
        await App.TrackAsync(() => bus.PublishAsync(new ProductAddedEvent(Guid.NewGuid(), "UND-1", "Undeclared", new Money(1m, "EUR"), DateTimeOffset.UtcNow),
            new DeliveryOptions().WithHeader(MessageLedger.SenderHeader, "Payments")).AsTask());

        var edge = Assert.Single(Ledger.Snapshot(), e => e.Sender == "Payments" && e.Message == "ProductAddedEvent");
        Assert.Equal(("Ordering", 1, 1, false), (edge.Module, edge.Sent, edge.Handled, edge.Declared));
        // Logged once, in the words the end-to-end suite looks for in every process's output (its UndeclaredEdges.LogText).
        Assert.Equal("Undeclared message edge:", MessageLedger.UndeclaredEdgeLog);
        Assert.Contains("Undeclared message edge: Payments sent ProductAddedEvent to Ordering, which the module map does not declare", logged.Lines);
    }

    /// <summary>The messages logged at Warning or above while it is attached.</summary>
    private sealed class LogLines : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines.Enqueue(formatter(state, exception));
            }
        }
    }

    /// <summary>Per edge, what was counted between two snapshots.</summary>
    private static Dictionary<(string, string, string), (long Sent, long Handled, long DeadLettered)> Since(
        IReadOnlyList<EdgeCounts> before, IReadOnlyList<EdgeCounts> after) =>
        after.ToDictionary(e => (e.Sender, e.Message, e.Module), e =>
        {
            var was = before.FirstOrDefault(b => (b.Sender, b.Message, b.Module) == (e.Sender, e.Message, e.Module));
            return (e.Sent - (was?.Sent ?? 0), e.Handled - (was?.Handled ?? 0), e.DeadLettered - (was?.DeadLettered ?? 0));
        });
}
