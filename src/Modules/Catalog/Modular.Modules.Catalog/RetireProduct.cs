using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Modules.Catalog.Contracts;
using Modular.Sdk;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog;

/// <summary>Stop selling a product. It stays readable; retiring twice is a conflict.</summary>
public static class RetireProductEndpoint
{
    public static Task<Product?> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        session.LoadAsync<Product>(id, ct);

    public static ProblemDetails Validate(Guid id, Product? product) => product switch
    {
        null => Problems.NotFound("Product", id),
        { Status: ProductStatus.Retired } => Problems.Conflict("Product is already retired.",
            $"Product '{id}' was retired at {product.RetiredAt:O}."),
        _ => WolverineContinue.NoProblems,
    };

    [WolverinePost("/api/catalog/products/{id}/retire")]
    [Authorize(CatalogPermissions.Write)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (ProductDetails, ProductRetiredEvent, IMartenOp) Post(Guid id, [NotBody] Product product, TimeProvider clock)
    {
        product.Status = ProductStatus.Retired;
        product.RetiredAt = clock.GetUtcNow();
        return (ProductDetails.From(product), new ProductRetiredEvent(product.Id, product.RetiredAt.Value), MartenOps.Store(product));
    }
}
