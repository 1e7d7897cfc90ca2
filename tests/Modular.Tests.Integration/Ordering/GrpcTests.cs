using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.GrpcApi;
using Modular.Modules.Ordering.GrpcApi;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Integration.Ordering;

/// <summary>
/// The gRPC services beside REST: the same use cases give the same results, the same refusals (as gRPC codes with
/// the problem's kind and field violations in proto names), the same permissions, and write nothing when they refuse.
/// </summary>
[Collection(OrderingSuite.Name)]
public sealed class GrpcTests(ModularApp app) : OrderingTest(app), IDisposable
{
    private GrpcChannel? _channel;

    private GrpcChannel Channel => _channel ??=
        GrpcChannel.ForAddress(Host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Host.Server.CreateHandler() });

    private Orders.OrdersClient OrdersClient => new(Channel);

    private Metadata As(string? token = null) => new() { { "authorization", $"Bearer {token ?? App.DeveloperToken}" } };

    private static PlaceOrderRequest Request(string customer, params (string Product, int Quantity)[] lines) => new()
    {
        CustomerId = customer,
        IdempotencyKey = Guid.NewGuid().ToString(),
        Lines = { lines.Select(l => new Modules.Ordering.GrpcApi.PlaceOrderLine { ProductId = l.Product, Quantity = l.Quantity }) },
    };

    [Fact]
    public async Task an_order_placed_over_grpc_is_confirmed_and_reads_as_over_rest()
    {
        var product = await AddProductAsync("GRPC-1", 12.5m);
        var request = Request("alice", (product.ToString(), 2));

        PlaceOrderReply reply = null!;
        await App.TrackAsync(async () => reply = await OrdersClient.PlaceOrderAsync(request, As()));
        var resent = await OrdersClient.PlaceOrderAsync(request, As()); // a retry: the same order, nothing new written

        Assert.Equal(Modules.Ordering.GrpcApi.OrderStatus.AwaitingPayment, reply.Status);
        Assert.Equal(reply.Id, resent.Id);
        Assert.Equal($"/api/ordering/orders/{reply.Id}", reply.Url);
        Assert.Equal(3, await CountOrderEventsAsync()); // placed, payment requested, payment captured: once each
        var rest = await GetOrderAsync(Guid.Parse(reply.Id));
        var order = await OrdersClient.GetOrderAsync(new GetOrderRequest { Id = reply.Id }, As());
        Assert.Equal(Modules.Ordering.OrderStatus.Confirmed, rest.Status);
        Assert.Equal(Modules.Ordering.GrpcApi.OrderStatus.Confirmed, order.Status);
        Assert.Equal(rest.Total.ToString(CultureInfo.InvariantCulture), order.Total);
        Assert.Equal("25.0", order.Total);
        Assert.Equal(rest.ConfirmedAt, order.ConfirmedAt.ToDateTimeOffset());
        Assert.Equal(["GRPC-1"], order.Lines.Select(l => l.Sku));
    }

    [Fact]
    public async Task refusals_carry_the_rest_problem_as_code_reason_and_field_violations_and_write_nothing()
    {
        var product = await AddProductAsync("GRPC-2", 10m);

        var invalid = await RefusedAsync(() => OrdersClient.PlaceOrderAsync(Request("alice", (product.ToString(), 0), ("not-a-uuid", 1)), As()).ResponseAsync,
            StatusCode.InvalidArgument, "invalid-request");
        Assert.Contains(invalid.Violations, v => v.Field == "lines[1].product_id");
        var quantity = await RefusedAsync(() => OrdersClient.PlaceOrderAsync(Request("alice", (product.ToString(), 0)), As()).ResponseAsync,
            StatusCode.InvalidArgument, "invalid-request");
        Assert.Equal(["lines[0].quantity"], quantity.Violations.Select(v => v.Field));
        var unknown = await RefusedAsync(() => OrdersClient.PlaceOrderAsync(Request("alice", (Guid.NewGuid().ToString(), 1)), As()).ResponseAsync,
            StatusCode.FailedPrecondition, "unprocessable");
        Assert.Equal("Some lines cannot be ordered.", unknown.Message);
        Assert.Equal(["lines[0].product_id"], unknown.Violations.Select(v => v.Field));
        var control = await RefusedAsync(() => OrdersClient.PlaceOrderAsync(Request("al\0ice", (product.ToString(), 1)), As()).ResponseAsync,
            StatusCode.InvalidArgument, "invalid-request");
        Assert.Equal(["customer_id"], control.Violations.Select(v => v.Field));
        await RefusedAsync(() => OrdersClient.GetOrderAsync(new GetOrderRequest { Id = Guid.NewGuid().ToString() }, As()).ResponseAsync,
            StatusCode.NotFound, "not-found");

        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task a_message_over_the_body_limit_is_resource_exhausted_before_it_is_handled()
    {
        var lines = Enumerable.Range(0, 30_000).Select(_ => (Guid.NewGuid().ToString(), 1)).ToArray(); // > 1 MiB encoded

        var error = await Assert.ThrowsAsync<RpcException>(() => OrdersClient.PlaceOrderAsync(Request("alice", lines), As()).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.DoesNotContain("Exception", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task the_permissions_are_the_rest_endpoints_own()
    {
        var product = await AddProductAsync("GRPC-3", 10m);
        var alice = App.Tokens.Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5));
        var bob = App.Tokens.Issue("bob", [Roles.Customer], TimeSpan.FromMinutes(5));

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => OrdersClient.PlaceOrderAsync(Request("alice", (product.ToString(), 1))).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        await RefusedAsync(() => OrdersClient.PlaceOrderAsync(Request("alice", (product.ToString(), 1)), As(bob)).ResponseAsync,
            StatusCode.PermissionDenied, "forbidden");
        PlaceOrderReply placed = null!;
        await App.TrackAsync(async () => placed = await OrdersClient.PlaceOrderAsync(Request("alice", (product.ToString(), 1)), As(alice)));
        Assert.Equal(placed.Id, (await OrdersClient.GetOrderAsync(new GetOrderRequest { Id = placed.Id }, As(alice))).Id);
        await RefusedAsync(() => OrdersClient.GetOrderAsync(new GetOrderRequest { Id = placed.Id }, As(bob)).ResponseAsync,
            StatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task a_product_reads_as_over_rest_and_an_unknown_one_is_not_found()
    {
        var id = await AddProductAsync("GRPC-4", 9.99m, "USD");
        var products = new Products.ProductsClient(Channel);

        var product = await products.GetProductAsync(new GetProductRequest { Id = id.ToString() }, As());
        var rest = (await (await Host.Scenario(x => x.Get.Url($"/api/catalog/products/{id}"))).ReadAsJsonAsync<ProductDetails>())!;

        Assert.Equal((rest.Sku, rest.Name, "9.99", "USD", rest.AddedAt), (product.Sku, product.Name, product.Price, product.Currency, product.AddedAt.ToDateTimeOffset()));
        Assert.Equal(Modules.Catalog.GrpcApi.ProductStatus.Active, product.Status);
        var missing = await RefusedAsync(() => products.GetProductAsync(new GetProductRequest { Id = Guid.NewGuid().ToString() }, As()).ResponseAsync,
            StatusCode.NotFound, "not-found");
        Assert.Equal("Product not found.", missing.Message);
    }

    /// <summary>Metadata a broken or hostile client sends where the token goes: refused as unauthenticated, never a
    /// server fault, and the service is not called.</summary>
    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not.a.token")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.")] // alg none, unsigned
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("bearer-but-not-really")]
    public async Task bad_authorization_metadata_is_unauthenticated(string authorization)
    {
        var products = new Products.ProductsClient(Channel);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            products.GetProductAsync(new GetProductRequest { Id = Guid.NewGuid().ToString() }, new Metadata { { "authorization", authorization } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task an_oversized_token_is_unauthenticated()
    {
        var products = new Products.ProductsClient(Channel);
        var huge = "Bearer " + new string('a', 16 * 1024);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            products.GetProductAsync(new GetProductRequest { Id = Guid.NewGuid().ToString() }, new Metadata { { "authorization", huge } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    /// <summary>Bytes that are not the method's request message (a broken client, a hostile one): refused as invalid, with
    /// the same details as any refusal, not ended as UNKNOWN (a server fault); the service is never called.</summary>
    [Theory]
    [InlineData(new byte[] { 0x0a, 0xff, 0x01 })] // field 1, a length past the end
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff })] // a varint too long
    [InlineData(new byte[] { 0x0a, 0x02, 0xc3, 0x28 })] // field 1 (id, a string), invalid UTF-8
    public async Task a_request_that_is_not_protobuf_is_an_invalid_argument_naming_the_body(byte[] garbage)
    {
        var raw = new Marshaller<byte[]>(bytes => bytes, bytes => bytes);
        foreach (var (service, method) in new[] { ("modular.catalog.v1.Products", "GetProduct"), ("modular.ordering.v1.Orders", "PlaceOrder") })
        {
            var call = Channel.CreateCallInvoker().AsyncUnaryCall(new Method<byte[], byte[]>(MethodType.Unary, service, method, raw, raw), null,
                new CallOptions(As()), garbage);
            var (message, violations) = await RefusedAsync(() => call.ResponseAsync, StatusCode.InvalidArgument, "invalid-request");
            Assert.Equal("One or more fields are invalid.", message);
            Assert.Equal("body", Assert.Single(violations).Field);
        }
    }

    /// <summary>The call fails with <paramref name="code"/>, its details naming the problem kind, and no internals.</summary>
    private static async Task<(string Message, IReadOnlyList<BadRequest.Types.FieldViolation> Violations)> RefusedAsync(
        Func<Task> call, StatusCode code, string kind)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var info = status.GetDetail<ErrorInfo>();
        Assert.Equal((kind, "modular", $"/problems/{kind}"), (info.Reason, info.Domain, info.Metadata["type"]));
        Assert.True(info.Metadata.ContainsKey("traceId"));
        foreach (var said in new[] { error.Status.Detail, status.Message }.Concat(info.Metadata.Values))
            Assert.DoesNotContain("Exception", said, StringComparison.Ordinal);
        return (status.Message, status.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? []);
    }

    public void Dispose() => _channel?.Dispose();
}
