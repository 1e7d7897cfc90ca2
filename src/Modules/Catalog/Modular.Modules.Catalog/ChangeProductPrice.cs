using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Modules.Catalog.Contracts;
using Modular.Sdk;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog;

/// <summary>Set a new price. Orders already placed keep the price they were placed at.</summary>
public sealed record ChangeProductPrice(Money Price)
{
    public static ChangeProductPrice Example { get; } = new(new Money(14.90m, "EUR"));
}

public static class ChangeProductPriceEndpoint
{
    // Runs first: the body's fields.
    public static ProblemDetails Validate(ChangeProductPrice command) => new FieldErrors().CheckPrice(command.Price).ToProblem();

    public static Task<Product?> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        session.LoadAsync<Product>(id, ct);

    // Runs after LoadAsync: the product's state.
    public static ProblemDetails Before(Guid id, Product? product) => product switch
    {
        null => Problems.NotFound("Product", id),
        { Status: ProductStatus.Retired } => Problems.Conflict("Product is retired.",
            $"Product '{id}' was retired; its price can no longer change."),
        _ => WolverineContinue.NoProblems,
    };

    [WolverinePut("/api/catalog/products/{id}/price")]
    [Authorize(CatalogPermissions.Write)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (ProductDetails, ProductPriceChangedEvent?, IMartenOp) Put(ChangeProductPrice command, [NotBody] Product product,
        TimeProvider clock)
    {
        var newPrice = ProductRules.NormalizePrice(command.Price);
        if (newPrice == product.Price)
            return (ProductDetails.From(product), null, MartenOps.Nothing());

        var oldPrice = product.Price;
        product.Price = newPrice;
        return (
            ProductDetails.From(product),
            new ProductPriceChangedEvent(product.Id, oldPrice, newPrice, clock.GetUtcNow()),
            MartenOps.Store(product));
    }
}
