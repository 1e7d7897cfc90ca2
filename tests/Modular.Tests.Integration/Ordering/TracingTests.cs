using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Modular.Tests.Integration.Ordering;

public sealed class TracingTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task an_order_is_one_trace_from_the_request_through_every_module_and_message_it_reaches()
    {
        var widget = await AddProductAsync("TRACE-1", 10m);
        App.Spans.Clear();

        await PlaceAsync(AnOrder("trace-alice", (widget, 1)));

        var spans = App.Spans.Snapshot();
        var request = spans.Single(s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /api/ordering/orders");
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToList();
        foreach (var message in (string[])["PaymentRequestedEvent", "PaymentCapturedEvent"])
            Assert.Contains(trace, s => s.Source.Name == "Wolverine" && (s.GetTagItem("messaging.message_type") as string ?? "").EndsWith(message, StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        var resource = App.Host.Services.GetRequiredService<TracerProvider>().GetResource();
        Assert.Equal("modular-monolith", resource.Attributes.Single(a => a.Key == "service.name").Value);
    }
}
