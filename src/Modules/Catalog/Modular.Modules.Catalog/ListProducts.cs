using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Http;
using Wolverine.Http;

namespace Modular.Modules.Catalog;

/// <summary>One page of products, ordered by name then SKU (stable across pages).</summary>
public sealed record ProductPage(IReadOnlyList<ProductDetails> Items, int Page, int PageSize, long TotalItems, long TotalPages);

public static class ListProductsEndpoint
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxNameFilterLength = 200;

    public static ProblemDetails Validate(string? name, int? page, int? pageSize) => new FieldErrors()
        .When(page < 1, "page", "Pages start at 1.")
        .When(page > 1_000_000, "page", "The page number is out of range.")
        .When(pageSize is < 1 or > MaxPageSize, "pageSize", $"A page holds 1 to {MaxPageSize} products.")
        .When(name?.Length > MaxNameFilterLength, "name", $"The name filter has at most {MaxNameFilterLength} characters.")
        .ToProblem();

    /// <param name="name">Case-insensitive part of the product name.</param>
    /// <param name="status">Only products in this status; all when absent.</param>
    /// <param name="page">1-based page number (default 1).</param>
    /// <param name="pageSize">Products per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/catalog/products")]
    public static async Task<ProductPage> Get(string? name, ProductStatus? status, int? page, int? pageSize,
        IQuerySession session, CancellationToken ct)
    {
        var pageNumber = page ?? 1;
        var size = pageSize ?? DefaultPageSize;

        var result = await Filter(session, name, status).OrderBy(p => p.Name).ThenBy(p => p.Sku)
            .ToPagedListAsync(pageNumber, size, ct);
        // The page query counts with a window function, which sees no rows past the last page.
        var total = result.Count == 0 && pageNumber > 1 ? await Filter(session, name, status).CountAsync(ct) : result.TotalItemCount;
        return new ProductPage(result.Select(ProductDetails.From).ToList(), pageNumber, size, total, (total + size - 1) / size);
    }

    private static IQueryable<Product> Filter(IQuerySession session, string? name, ProductStatus? status)
    {
        IQueryable<Product> query = session.Query<Product>();
        if (!string.IsNullOrWhiteSpace(name))
        {
            var part = name.Trim();
            query = query.Where(p => p.Name.Contains(part, StringComparison.OrdinalIgnoreCase));
        }

        return status is { } wanted ? query.Where(p => p.Status == wanted) : query;
    }
}
