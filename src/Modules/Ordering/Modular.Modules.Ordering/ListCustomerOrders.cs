using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Ordering;

/// <summary>A page of one customer's orders, newest first.</summary>
public sealed record OrderPage(IReadOnlyList<OrderDetails> Items, int Page, int PageSize, long TotalItems, long TotalPages);

public static class ListCustomerOrdersEndpoint
{
    public static ProblemDetails Validate(string? customerId, int? page, int? pageSize, ClaimsPrincipal user, PermissionGrants grants)
    {
        var fields = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(customerId), "customerId", "Name the customer whose orders to list.")
            .CheckPaging(page, pageSize)
            .ToProblem();
        return fields != WolverineContinue.NoProblems || grants.ActsFor(user, customerId!, OrderingPermissions.AnyonesOrders)
            ? fields
            : Problems.Forbidden("A customer lists their own orders: customerId is the token's subject.");
    }

    /// <param name="customerId">The customer whose orders to list (required).</param>
    /// <param name="page">1-based page number (default 1).</param>
    /// <param name="pageSize">Orders per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/ordering/orders")]
    [Authorize(OrderingPermissions.Orders)]
    public static async Task<OrderPage> Get(string customerId, [Range(1, int.MaxValue)] int? page,
        [Range(1, Paging.MaxPageSize)] int? pageSize, IQuerySession session, CancellationToken ct)
    {
        var customer = customerId.Trim();
        var result = await Paging.PageAsync(() => session.Query<Order>().Where(o => o.CustomerId == customer),
            q => q.OrderByDescending(o => o.PlacedAt).ThenBy(o => o.Id), page, pageSize, ct);
        return new OrderPage(result.Items.Select(OrderDetails.From).ToList(), result.Page, result.PageSize, result.TotalItems,
            result.TotalPages);
    }
}
