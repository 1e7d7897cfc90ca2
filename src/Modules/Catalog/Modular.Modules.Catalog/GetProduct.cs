using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Catalog;

/// <summary>One product by id, retired or not.</summary>
public static class GetProductEndpoint
{
    public static Task<Product?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<Product>(id, ct);

    public static ProblemDetails Validate(Guid id, Product? product) =>
        product is null ? Problems.NotFound("Product", id) : WolverineContinue.NoProblems;

    [WolverineGet("/api/catalog/products/{id}")]
    [Authorize(CatalogPermissions.Read)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static ProductDetails Get(Guid id, [NotBody] Product product) => ProductDetails.From(product);
}
