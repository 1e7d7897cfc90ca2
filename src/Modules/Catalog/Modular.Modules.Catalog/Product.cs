using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Catalog;

public enum ProductStatus
{
    Active,
    Retired,
}

/// <summary>The catalog's document for one product (table <c>catalog.mt_doc_product</c>).</summary>
public sealed class Product
{
    public Guid Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public Money Price { get; set; } = new(0m, "XXX");
    public ProductStatus Status { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>What the HTTP API returns for one product.</summary>
public sealed record ProductDetails(
    Guid Id,
    string Sku,
    string Name,
    string? Description,
    Money Price,
    ProductStatus Status,
    DateTimeOffset AddedAt,
    DateTimeOffset? RetiredAt)
{
    public static ProductDetails From(Product p) => new(p.Id, p.Sku, p.Name, p.Description, p.Price, p.Status, p.AddedAt, p.RetiredAt);
}
