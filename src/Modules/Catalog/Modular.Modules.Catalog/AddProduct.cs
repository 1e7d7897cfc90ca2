using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Http;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog;

/// <summary>Add a product. The SKU is unique across the catalog (case-insensitive).</summary>
public sealed record AddProduct(string Sku, string Name, string? Description, Money Price);

/// <summary>201 with the new product's id; its URL is in <c>Location</c>.</summary>
public sealed record ProductAdded(Guid Id, string Url) : CreationResponse(Url);

public static class AddProductEndpoint
{
    public static ProblemDetails Validate(AddProduct command) => new FieldErrors()
        .CheckSku(command.Sku)
        .CheckName(command.Name)
        .CheckDescription(command.Description)
        .CheckPrice(command.Price)
        .ToProblem();

    public static async Task<ProblemDetails> LoadAsync(AddProduct command, IQuerySession session, CancellationToken ct)
    {
        var sku = ProductRules.NormalizeSku(command.Sku);
        var taken = await session.Query<Product>().AnyAsync(p => p.Sku == sku, ct);
        return taken
            ? Problems.Conflict("SKU already in use.", $"A product with SKU '{sku}' already exists.")
            : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/catalog/products")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (ProductAdded, ProductAddedEvent, IMartenOp) Post(AddProduct command, TimeProvider clock)
    {
        var product = new Product
        {
            Id = Guid.CreateVersion7(),
            Sku = ProductRules.NormalizeSku(command.Sku),
            Name = command.Name.Trim(),
            Description = string.IsNullOrWhiteSpace(command.Description) ? null : command.Description.Trim(),
            Price = ProductRules.NormalizePrice(command.Price),
            Status = ProductStatus.Active,
            AddedAt = clock.GetUtcNow(),
        };

        return (
            new ProductAdded(product.Id, $"/api/catalog/products/{product.Id}"),
            new ProductAddedEvent(product.Id, product.Sku, product.Name, product.Price, product.AddedAt),
            MartenOps.Insert(product));
    }
}
