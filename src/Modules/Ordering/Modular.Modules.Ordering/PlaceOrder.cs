using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Modules.Ordering.Contracts;
using Modular.Sdk;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Ordering;

/// <summary>
/// Place an order. <paramref name="IdempotencyKey"/> makes retries safe: the same key and body return the
/// same order; the same key with another body is refused.
/// </summary>
public sealed record PlaceOrder(
    [property: StringLength(PlaceOrderEndpoint.MaxCustomerIdLength, MinimumLength = 1), RegularExpression(@"\S")] string CustomerId,
    [property: Length(1, PlaceOrderEndpoint.MaxLines)] IReadOnlyList<PlaceOrderLine> Lines,
    [property: StringLength(PlaceOrderEndpoint.MaxKeyLength, MinimumLength = 1), RegularExpression(@"\S")] string IdempotencyKey)
{
    /// <summary>The body Swagger UI offers: put the id of a product you added in <c>productId</c>.</summary>
    public static PlaceOrder Example { get; } = new("alice", [PlaceOrderLine.Example], "alice-order-1");
}

public sealed record PlaceOrderLine(Guid ProductId, [property: Range(1, PlaceOrderEndpoint.MaxQuantity)] int Quantity)
{
    public static PlaceOrderLine Example { get; } = new(new Guid("01936b2e-0000-7000-8000-000000000001"), 2);
}

/// <summary>201 with the order's id (status AwaitingPayment); its URL is in <c>Location</c>. Payment follows asynchronously.</summary>
public sealed record OrderAccepted(Guid Id, string Url, OrderStatus Status) : CreationResponse(Url);

/// <summary>What placing an order needs to know: an earlier order under the same key, and the products.</summary>
public sealed record PlaceOrderState(Order? Existing, IReadOnlyDictionary<Guid, CatalogProduct> Products);

public static class PlaceOrderEndpoint
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 1000;
    public const int MaxKeyLength = 100;
    public const int MaxCustomerIdLength = 100;

    public static ProblemDetails Validate(PlaceOrder command, ClaimsPrincipal user, PermissionGrants grants)
    {
        var fields = ValidateFields(command);
        return fields != WolverineContinue.NoProblems || grants.ActsFor(user, command.CustomerId, OrderingPermissions.AnyonesOrders)
            ? fields
            : Problems.Forbidden("A customer places orders for themself: customerId is the token's subject.");
    }

    private static ProblemDetails ValidateFields(PlaceOrder command)
    {
        var errors = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(command.CustomerId), "customerId", "A customer id is required.")
            .When(command.CustomerId?.Length > MaxCustomerIdLength, "customerId", $"A customer id has at most {MaxCustomerIdLength} characters.")
            .When(string.IsNullOrWhiteSpace(command.IdempotencyKey), "idempotencyKey", "An idempotency key is required.")
            .When(command.IdempotencyKey?.Length > MaxKeyLength, "idempotencyKey", $"An idempotency key has at most {MaxKeyLength} characters.");

        var lines = command.Lines ?? [];
        if (lines.Count == 0) errors.Add("lines", "An order has at least one line.");
        // Past the limit the lines are not read one by one: one error, whatever the count.
        if (lines.Count > MaxLines) return errors.Add("lines", $"An order has at most {MaxLines} lines.").ToProblem();
        for (var i = 0; i < lines.Count; i++)
        {
            errors.When(lines[i] is null || lines[i].ProductId == Guid.Empty, $"lines[{i}].productId", "A product id is required.")
                .When(lines[i]?.Quantity is < 1 or > MaxQuantity, $"lines[{i}].quantity", $"A quantity is between 1 and {MaxQuantity}.");
        }

        foreach (var repeated in lines.Where(l => l is not null).GroupBy(l => l.ProductId).Where(g => g.Count() > 1))
            errors.Add("lines", $"Product {repeated.Key} appears on more than one line; order it once with the total quantity.");
        return errors.ToProblem();
    }

    public static async Task<PlaceOrderState> LoadAsync(PlaceOrder command, IDocumentSession session, CancellationToken ct)
    {
        var existing = await session.LoadAsync<Order>(OrderIdFor(command), ct);
        var ids = command.Lines.Select(l => l.ProductId).ToArray();
        var products = await session.LoadManyAsync<CatalogProduct>(ct, ids);
        return new PlaceOrderState(existing, products.ToDictionary(p => p.Id));
    }

    public static ProblemDetails Before(PlaceOrder command, PlaceOrderState state)
    {
        if (state.Existing is { } existing)
        {
            return existing.RequestFingerprint == FingerprintOf(command)
                ? WolverineContinue.NoProblems
                : new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "Idempotency key already used for another order.",
                    Detail = $"Key '{command.IdempotencyKey}' placed order {existing.Id} with different lines; use a new key.",
                };
        }

        var errors = new FieldErrors();
        string? currency = null;
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var field = $"lines[{i}].productId";
            if (!state.Products.TryGetValue(command.Lines[i].ProductId, out var product) || !product.Listed)
                errors.Add(field, "No such product in the catalog.");
            else if (product.Retired)
                errors.Add(field, $"Product {product.Sku} is retired and can no longer be ordered.");
            else if ((currency ??= product.Currency) != product.Currency)
                errors.Add(field, $"Product {product.Sku} is priced in {product.Currency}; this order is in {currency}.");
        }

        return errors.ToProblem(StatusCodes.Status422UnprocessableEntity, "Some lines cannot be ordered.");
    }

    [WolverinePost("/api/ordering/orders")]
    [Authorize(OrderingPermissions.Orders)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public static (OrderAccepted, OutgoingMessages, IMartenOp) Post(PlaceOrder command, PlaceOrderState state, TimeProvider clock)
    {
        if (state.Existing is { } existing) // a retry of an order already placed
            return (Accepted(existing.Id, existing.Status), [], MartenOps.Nothing());

        var id = OrderIdFor(command);
        var lines = command.Lines.Select(l => LineFor(state.Products[l.ProductId], l.Quantity)).ToList();
        var now = clock.GetUtcNow();
        var placed = new OrderPlaced(id, command.CustomerId.Trim(), lines, state.Products[lines[0].ProductId].Currency,
            FingerprintOf(command), now);
        // Payment is requested in the same transaction that places the order: one commit, and Payments' request
        // leaves with the order's own outbox (ADR 0005 and 0015 have the history).
        var order = Order.Create(placed);
        var requested = order.RequestPayment(now)!;

        var messages = new OutgoingMessages
        {
            new OrderPlacedEvent(id, placed.CustomerId, order.Total, placed.Currency, lines.Count, placed.PlacedAt),
            new PaymentRequestedEvent(id, order.CustomerId, order.Total, order.Currency, requested.RequestedAt),
        };
        order.Apply(requested);
        return (Accepted(id, order.Status), messages, MartenOps.StartStream<Order>(id, placed, requested));
    }

    private static OrderLine LineFor(CatalogProduct product, int quantity) =>
        new(product.Id, product.Sku, product.Name, quantity, product.Price);

    private static OrderAccepted Accepted(Guid id, OrderStatus status) => new(id, $"/api/ordering/orders/{id}", status);

    /// <summary>The order id is derived from customer and key, so a retried request finds its order.</summary>
    internal static Guid OrderIdFor(PlaceOrder command)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{command.CustomerId?.Trim()}\n{command.IdempotencyKey}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>What "the same body" means for a retry: customer and lines, in any line order.</summary>
    internal static string FingerprintOf(PlaceOrder command) =>
        string.Join(';', command.Lines.OrderBy(l => l.ProductId).Select(l => $"{l.ProductId:N}x{l.Quantity}"));
}
