using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Ordering;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments;
using Modular.Modules.Payments.Contracts;
using Modular.Platform.Distribution.Topology;

namespace Modular.Tests.Unit.Platform;

public sealed class MessageEdgesTests
{
    private static readonly IReadOnlyList<MessageEdge> Edges =
        MessageEdges.Find([new CatalogModule(), new OrderingModule(), new PaymentsModule()]);

    [Fact]
    public void finds_every_cross_module_subscription_from_the_handlers() =>
        Assert.Equal(
        [
            "Catalog.ProductAddedEvent -> Ordering",
            "Catalog.ProductPriceChangedEvent -> Ordering",
            "Catalog.ProductRetiredEvent -> Ordering",
            "Ordering.OrderCancelledEvent -> Payments",
            "Ordering.PaymentRequestedEvent -> Payments",
            "Payments.PaymentCapturedEvent -> Ordering",
            "Payments.PaymentDeclinedEvent -> Ordering",
            "Payments.PaymentRefundedEvent -> Ordering",
        ], Edges.Select(e => $"{e.Publisher.Name}.{e.MessageType.Name} -> {e.Subscriber.Name}"));

    [Fact]
    public void a_module_handling_its_own_internal_message_is_no_edge() =>
        Assert.DoesNotContain(Edges, e => e.MessageType == typeof(RequestPayment));

    [Fact]
    public void message_types_come_from_the_publishers_contracts() =>
        Assert.All(Edges, e => Assert.Contains(e.MessageType.Assembly,
            new[] { typeof(ProductAddedEvent).Assembly, typeof(OrderCancelledEvent).Assembly, typeof(PaymentCapturedEvent).Assembly }));
}
