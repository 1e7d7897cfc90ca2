using Marten;
using Marten.Pagination;

namespace Modular.Sdk;

/// <summary>One page of a query, with totals that stay right past the last page.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalItems, long TotalPages);

/// <summary>Page-number paging for list endpoints: the query (its fields' rules: <c>FieldErrors.CheckPaging</c>).</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <param name="query">Builds the filtered query; called again for the count past the last page.</param>
    /// <param name="order">A total order, so pages neither repeat nor skip items.</param>
    public static async Task<PageOf<T>> PageAsync<T>(Func<IQueryable<T>> query, Func<IQueryable<T>, IQueryable<T>> order,
        int? page, int? pageSize, CancellationToken ct) where T : notnull
    {
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        var result = await order(query()).ToPagedListAsync(number, size, ct);
        // Marten counts with a window function over the page's rows: past the last page there are none.
        var total = result.Count == 0 && number > 1 ? await query().CountAsync(ct) : result.TotalItemCount;
        return new PageOf<T>(result.ToList(), number, size, total, (total + size - 1) / size);
    }
}
