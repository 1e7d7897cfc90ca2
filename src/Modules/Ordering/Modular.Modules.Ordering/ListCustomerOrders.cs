using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Http;
using Wolverine.Http;

namespace Modular.Modules.Ordering;

/// <summary>A page of one customer's orders, newest first.</summary>
public sealed record OrderPage(IReadOnlyList<OrderDetails> Items, int Page, int PageSize, long TotalItems, long TotalPages);

public static class ListCustomerOrdersEndpoint
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static ProblemDetails Validate(string? customerId, int? page, int? pageSize) => new FieldErrors()
        .When(string.IsNullOrWhiteSpace(customerId), "customerId", "Name the customer whose orders to list.")
        .When(page is < 1 or > 1_000_000, "page", "Pages start at 1.")
        .When(pageSize is < 1 or > MaxPageSize, "pageSize", $"A page holds 1 to {MaxPageSize} orders.")
        .ToProblem();

    /// <param name="customerId">The customer whose orders to list (required).</param>
    /// <param name="page">1-based page number (default 1).</param>
    /// <param name="pageSize">Orders per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/ordering/orders")]
    public static async Task<OrderPage> Get(string customerId, int? page, int? pageSize, IQuerySession session, CancellationToken ct)
    {
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        var customer = customerId.Trim();
        var result = await session.Query<Order>().Where(o => o.CustomerId == customer)
            .OrderByDescending(o => o.PlacedAt).ThenBy(o => o.Id)
            .ToPagedListAsync(number, size, ct);
        var total = result.Count == 0 && number > 1
            ? await session.Query<Order>().CountAsync(o => o.CustomerId == customer, ct)
            : result.TotalItemCount;
        return new OrderPage(result.Select(OrderDetails.From).ToList(), number, size, total, (total + size - 1) / size);
    }
}
