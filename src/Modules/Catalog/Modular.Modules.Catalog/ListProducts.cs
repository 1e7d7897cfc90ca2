using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Catalog;

/// <summary>One page of products, ordered by name then SKU (stable across pages).</summary>
public sealed record ProductPage(IReadOnlyList<ProductDetails> Items, int Page, int PageSize, long TotalItems, long TotalPages);

public static class ListProductsEndpoint
{
    public const int MaxNameFilterLength = 200;

    public static ProblemDetails Validate(string? name, int? page, int? pageSize) => new FieldErrors()
        .CheckPaging(page, pageSize)
        .When(name?.Length > MaxNameFilterLength, "name", $"The name filter has at most {MaxNameFilterLength} characters.")
        .ToProblem();

    /// <param name="name">Case-insensitive part of the product name.</param>
    /// <param name="status">Only products in this status; all when absent.</param>
    /// <param name="page">1-based page number (default 1).</param>
    /// <param name="pageSize">Products per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/catalog/products")]
    [Authorize(CatalogPermissions.Read)]
    public static async Task<ProductPage> Get([StringLength(MaxNameFilterLength)] string? name, ProductStatus? status,
        [Range(1, int.MaxValue)] int? page, [Range(1, Paging.MaxPageSize)] int? pageSize,
        IQuerySession session, CancellationToken ct)
    {
        var result = await Paging.PageAsync(() => Filter(session, name, status), q => q.OrderBy(p => p.Name).ThenBy(p => p.Sku),
            page, pageSize, ct);
        return new ProductPage(result.Items.Select(ProductDetails.From).ToList(), result.Page, result.PageSize, result.TotalItems,
            result.TotalPages);
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
