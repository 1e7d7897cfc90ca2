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
        // Our own trace id on the request: span listeners are process-wide, so spans of other test hosts running in
        // parallel (another collection placing an order) reach this recorder too.
        var traceId = ActivityTraceId.CreateRandom();

        await App.TrackAsync(() => Host.Scenario(x =>
        {
            x.Post.Json(AnOrder("trace-alice", (widget, 1))).ToUrl(Orders);
            x.WithRequestHeader("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            x.StatusCodeShouldBe(201);
        }));

        var trace = App.Spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
        var request = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /api/ordering/orders");
        Assert.Equal(("Ordering", "monolith"), (request.GetTagItem("modular.module"), request.GetTagItem("modular.deployment")));
        // Each message's handling span carries the module whose handler ran it.
        foreach (var (message, module) in new[] { ("PaymentRequestedEvent", "Payments"), ("PaymentCapturedEvent", "Ordering") })
            Assert.Contains(trace, s => s.Source.Name == "Wolverine" && (s.GetTagItem("messaging.message_type") as string ?? "").EndsWith(message, StringComparison.Ordinal)
                && s.GetTagItem("modular.module") as string == module && s.GetTagItem("modular.deployment") as string == "monolith");
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        var resource = App.Host.Services.GetRequiredService<TracerProvider>().GetResource();
        Assert.Equal("modular-monolith", resource.Attributes.Single(a => a.Key == "service.name").Value);
    }
}
