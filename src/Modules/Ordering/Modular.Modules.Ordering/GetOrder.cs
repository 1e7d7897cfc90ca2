using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Ordering;

/// <summary>One order with its lines, prices as placed, and status.</summary>
public static class GetOrderEndpoint
{
    public static Task<Order?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Order>(id, ct);

    // Another customer's order is "not found": its existence is not theirs to know.
    public static ProblemDetails Validate(Guid id, Order? order, ClaimsPrincipal user, PermissionGrants grants) =>
        order is null || !grants.ActsFor(user, order.CustomerId, OrderingPermissions.AnyonesOrders)
            ? Problems.NotFound("Order", id)
            : WolverineContinue.NoProblems;

    [WolverineGet("/api/ordering/orders/{id}")]
    [Authorize(OrderingPermissions.Orders)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static OrderDetails Get(Guid id, [NotBody] Order order) => OrderDetails.From(order);
}
