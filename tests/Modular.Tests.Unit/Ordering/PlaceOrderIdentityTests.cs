using Modular.Modules.Ordering;

namespace Modular.Tests.Unit.Ordering;

public sealed class PlaceOrderIdentityTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    [Fact]
    public void the_order_id_depends_on_customer_and_key_only()
    {
        var order = new PlaceOrder("alice", [new PlaceOrderLine(A, 1)], "key-1");

        Assert.Equal(PlaceOrderEndpoint.OrderIdFor(order), PlaceOrderEndpoint.OrderIdFor(order with { Lines = [new PlaceOrderLine(B, 2)] }));
        Assert.NotEqual(PlaceOrderEndpoint.OrderIdFor(order), PlaceOrderEndpoint.OrderIdFor(order with { CustomerId = "bob" }));
        Assert.NotEqual(PlaceOrderEndpoint.OrderIdFor(order), PlaceOrderEndpoint.OrderIdFor(order with { IdempotencyKey = "key-2" }));
    }

    [Fact]
    public void the_same_lines_in_another_order_are_the_same_request()
    {
        var first = new PlaceOrder("alice", [new PlaceOrderLine(A, 1), new PlaceOrderLine(B, 2)], "k");
        var reordered = first with { Lines = [new PlaceOrderLine(B, 2), new PlaceOrderLine(A, 1)] };
        var changed = first with { Lines = [new PlaceOrderLine(A, 1), new PlaceOrderLine(B, 3)] };

        Assert.Equal(PlaceOrderEndpoint.FingerprintOf(first), PlaceOrderEndpoint.FingerprintOf(reordered));
        Assert.NotEqual(PlaceOrderEndpoint.FingerprintOf(first), PlaceOrderEndpoint.FingerprintOf(changed));
    }
}
