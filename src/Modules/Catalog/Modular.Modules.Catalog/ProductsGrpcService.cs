using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Modular.Modules.Catalog.GrpcApi;
using Modular.Sdk;

namespace Modular.Modules.Catalog;

/// <summary>Catalog's gRPC service (<c>Protos/catalog.proto</c>): the REST endpoints' handlers, in gRPC's shape.</summary>
public sealed class ProductsGrpcService(ICatalogStore store) : Products.ProductsBase
{
    [Authorize(CatalogPermissions.Read)]
    public override async Task<GrpcApi.Product> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        var id = GrpcFields.RequireId(request.Id, "id");
        await using var session = store.QuerySession();
        var product = await GetProductEndpoint.LoadAsync(id, session, context.CancellationToken);
        GrpcProblems.ThrowIfAny(GetProductEndpoint.Validate(id, product));
        return ToMessage(GetProductEndpoint.Get(id, product!));
    }

    private static GrpcApi.Product ToMessage(ProductDetails p)
    {
        var message = new GrpcApi.Product
        {
            Id = p.Id.ToString(),
            Sku = p.Sku,
            Name = p.Name,
            Price = p.Price.Amount.ToString(CultureInfo.InvariantCulture),
            Currency = p.Price.Currency,
            Status = p.Status == ProductStatus.Retired ? GrpcApi.ProductStatus.Retired : GrpcApi.ProductStatus.Active,
            AddedAt = Timestamp.FromDateTimeOffset(p.AddedAt),
        };
        if (p.Description is not null) message.Description = p.Description;
        if (p.RetiredAt is { } retired) message.RetiredAt = Timestamp.FromDateTimeOffset(retired);
        return message;
    }
}
