using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Modular.Modules.Ordering.GrpcApi;
using Modular.Sdk;

namespace Modular.Modules.Ordering;

/// <summary>
/// Ordering's gRPC service (<c>Protos/ordering.proto</c>): the REST endpoints' handlers — their validation, loading,
/// rules and decisions — called in the same order Wolverine calls them, with the same transaction and outbox.
/// </summary>
[Authorize(OrderingPermissions.Orders)]
public sealed class OrdersGrpcService(ModuleWrites<IOrderingStore> writes, IOrderingStore store, PermissionGrants grants, TimeProvider clock)
    : Orders.OrdersBase
{
    public override async Task<PlaceOrderReply> PlaceOrder(PlaceOrderRequest request, ServerCallContext context)
    {
        var fields = new GrpcFields();
        var command = new PlaceOrder(request.CustomerId,
            request.Lines.Select((line, i) => new PlaceOrderLine(fields.Id(line.ProductId, $"lines[{i}].productId"), line.Quantity)).ToList(),
            request.IdempotencyKey);
        fields.ThrowIfAny();
        GrpcProblems.ThrowIfAny(PlaceOrderEndpoint.Validate(command, context.GetHttpContext().User, grants));

        var accepted = await writes.RunAsync(async write =>
        {
            var state = await PlaceOrderEndpoint.LoadAsync(command, write.Session, CancellationToken.None);
            GrpcProblems.ThrowIfAny(PlaceOrderEndpoint.Before(command, state));
            var (accepted, messages, operation) = PlaceOrderEndpoint.Post(command, state, clock);
            await write.ApplyAsync(messages, operation);
            return accepted;
        });
        return new PlaceOrderReply { Id = accepted.Id.ToString(), Url = accepted.Url, Status = ToMessage(accepted.Status) };
    }

    public override async Task<GrpcApi.Order> GetOrder(GetOrderRequest request, ServerCallContext context)
    {
        var id = GrpcFields.RequireId(request.Id, "id");
        await using var session = store.QuerySession();
        var order = await GetOrderEndpoint.LoadAsync(id, session, context.CancellationToken);
        GrpcProblems.ThrowIfAny(GetOrderEndpoint.Validate(id, order, context.GetHttpContext().User, grants));
        return ToMessage(GetOrderEndpoint.Get(id, order!));
    }

    private static GrpcApi.Order ToMessage(OrderDetails o)
    {
        var message = new GrpcApi.Order
        {
            Id = o.Id.ToString(),
            CustomerId = o.CustomerId,
            Status = ToMessage(o.Status),
            Total = o.Total.ToString(CultureInfo.InvariantCulture),
            Currency = o.Currency,
            PlacedAt = Timestamp.FromDateTimeOffset(o.PlacedAt),
            Refunded = o.Refunded,
            Lines =
            {
                o.Lines.Select(l => new GrpcApi.OrderLine
                {
                    ProductId = l.ProductId.ToString(), Sku = l.Sku, Name = l.Name, Quantity = l.Quantity,
                    UnitPrice = l.UnitPrice.ToString(CultureInfo.InvariantCulture),
                }),
            },
        };
        if (o.PaymentRequestedAt is { } requested) message.PaymentRequestedAt = Timestamp.FromDateTimeOffset(requested);
        if (o.ConfirmedAt is { } confirmed) message.ConfirmedAt = Timestamp.FromDateTimeOffset(confirmed);
        if (o.CancelledAt is { } cancelled) message.CancelledAt = Timestamp.FromDateTimeOffset(cancelled);
        if (o.CancellationReason is { } reason) message.CancellationReason = reason;
        return message;
    }

    private static GrpcApi.OrderStatus ToMessage(OrderStatus status) => status switch
    {
        OrderStatus.Placed => GrpcApi.OrderStatus.Placed,
        OrderStatus.AwaitingPayment => GrpcApi.OrderStatus.AwaitingPayment,
        OrderStatus.Confirmed => GrpcApi.OrderStatus.Confirmed,
        OrderStatus.Cancelled => GrpcApi.OrderStatus.Cancelled,
        _ => GrpcApi.OrderStatus.Unspecified,
    };
}
