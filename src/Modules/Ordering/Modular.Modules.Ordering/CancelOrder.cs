using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Modules.Ordering.Contracts;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Ordering;

/// <summary>The customer cancels. Before payment nothing is charged; after capture, Payments refunds.</summary>
public static class CancelOrderEndpoint
{
    public static Task<IEventStream<Order>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        session.Events.FetchForWriting<Order>(id, ct);

    public static ProblemDetails Validate(Guid id, IEventStream<Order> stream, ClaimsPrincipal user, PermissionGrants grants) => stream.Aggregate switch
    {
        null => Problems.NotFound("Order", id),
        var other when !grants.ActsFor(user, other.CustomerId, OrderingPermissions.AnyonesOrders) => Problems.NotFound("Order", id),
        { CanBeCancelled: false } order => Problems.Conflict("Order is already cancelled.",
            $"Order {id} was cancelled at {order.CancelledAt:O} ({order.CancellationReason})."),
        _ => WolverineContinue.NoProblems,
    };

    [WolverinePost("/api/ordering/orders/{id}/cancel")]
    [Authorize(OrderingPermissions.Orders)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (OrderDetails, OrderCancelledEvent) Post(Guid id, [NotBody] IEventStream<Order> stream, TimeProvider clock)
    {
        var order = stream.Aggregate!;
        var cancelled = order.CancelByCustomer(clock.GetUtcNow())!; // Validate refused an order already cancelled
        stream.AppendOne(cancelled);
        order.Apply(cancelled);
        return (OrderDetails.From(order), new OrderCancelledEvent(order.Id, order.CustomerId, cancelled.Reason, cancelled.CancelledAt));
    }
}
