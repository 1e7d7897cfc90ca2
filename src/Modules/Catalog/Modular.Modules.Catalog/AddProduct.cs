using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Modules.Catalog.Contracts;
using Modular.Sdk;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog;

/// <summary>Add a product. The SKU is unique across the catalog (case-insensitive): the unique index decides (409).</summary>
public sealed record AddProduct(
    [property: StringLength(ProductRules.MaxSkuLength, MinimumLength = 1), RegularExpression(ProductRules.SkuPattern)] string Sku,
    [property: StringLength(ProductRules.MaxNameLength, MinimumLength = 1), RegularExpression(ProductRules.NotBlank)] string Name,
    Money Price,
    [property: StringLength(ProductRules.MaxDescriptionLength)] string? Description = null)
{
    /// <summary>The body Swagger UI offers: it succeeds as it stands (once; the SKU is then taken).</summary>
    public static AddProduct Example { get; } = new("CUP-1", "Espresso cup", new Money(12.50m, "EUR"), "Porcelain, 90 ml.");
}

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

    [WolverinePost("/api/catalog/products")]
    [Authorize(CatalogPermissions.Write)]
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
