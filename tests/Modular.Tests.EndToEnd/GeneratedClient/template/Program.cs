// The order flow through a client Kiota generated from the OpenAPI document, with typed errors.
// Usage: ShopClient <base-url> <bearer-token>. Prints one line per step; exits 1 on the first thing that is not as documented.
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Shop.Client;
using Shop.Client.Models;

var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new StaticToken(args[1])))
{
    BaseUrl = args[0].TrimEnd('/'),
};
var api = new ShopApi(adapter);
var run = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

var added = await api.Api.Catalog.Products.PostAsync(new AddProduct
{
    Sku = $"GEN-{run}", Name = "Generated client mug", Price = new Money { Amount = 12.50m, Currency = "EUR" },
}) ?? throw new InvalidOperationException("no product");
Console.WriteLine($"added product {added.Id}");

// Typed errors: the problem's type, status and field errors as properties, no JSON handling of our own.
var conflict = await ProblemOf(() => api.Api.Catalog.Products.PostAsync(new AddProduct
{
    Sku = $"gen-{run}", Name = "Same SKU", Price = new Money { Amount = 1m, Currency = "EUR" },
}));
Expect(conflict.Type == "/problems/conflict" && conflict.Status == 409 && conflict.TraceId is { Length: > 0 }, $"conflict: {conflict.Type}");
var invalid = await ProblemOf(() => api.Api.Catalog.Products.PostAsync(new AddProduct
{
    Sku = "no spaces allowed", Name = "Bad", Price = new Money { Amount = 1m, Currency = "XXX" },
}));
Expect(invalid.Type == "/problems/invalid-request" && invalid.Errors!.AdditionalData.ContainsKey("sku")
       && invalid.Errors.AdditionalData.ContainsKey("price.currency"), $"invalid: {string.Join(", ", invalid.Errors?.AdditionalData.Keys ?? [])}");
Console.WriteLine($"typed errors: {conflict.Type}, {invalid.Type} ({string.Join(", ", invalid.Errors!.AdditionalData.Keys)})");

// Ordering learns the product from Catalog's event: until then the order is a 422 naming the line.
var order = new PlaceOrder
{
    CustomerId = $"gen-{run}", IdempotencyKey = $"gen-{run}",
    Lines = [new PlaceOrderLine { ProductId = added.Id, Quantity = 2 }],
};
OrderAccepted? accepted = null;
var deadline = DateTime.UtcNow.AddSeconds(30);
while (accepted is null)
{
    try
    {
        accepted = await api.Api.Ordering.Orders.PostAsync(order);
    }
    catch (ProblemDetails problem) when (problem.Type == "/problems/unprocessable" && DateTime.UtcNow < deadline)
    {
        await Task.Delay(100);
    }
}

Console.WriteLine($"placed order {accepted.Id}: {accepted.Status}");
OrderDetails? details = null;
while (details?.Status != OrderStatus.Confirmed)
{
    Expect(DateTime.UtcNow < deadline.AddSeconds(30), $"order stayed {details?.Status}");
    await Task.Delay(100);
    details = await api.Api.Ordering.Orders[accepted.Id!.Value].GetAsync();
}

var payment = await api.Api.Payments.Orders[accepted.Id!.Value].GetAsync();
Expect(details.Total == 25.00m && payment?.Status == PaymentStatus.Captured && payment.Amount == 25.00m, $"payment {payment?.Status} {payment?.Amount}");
var missing = await ProblemOf(() => api.Api.Ordering.Orders[Guid.NewGuid()].GetAsync());
Expect(missing.Type == "/problems/not-found", $"missing: {missing.Type}");
Console.WriteLine($"order {details.Id} {details.Status}, total {details.Total} {details.Currency}, payment {payment.Status}");
Console.WriteLine("flow ok");
return 0;

static async Task<ProblemDetails> ProblemOf(Func<Task> call)
{
    try
    {
        await call();
    }
    catch (ProblemDetails problem)
    {
        return problem;
    }

    throw new InvalidOperationException("expected a problem, the call succeeded");
}

static void Expect(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException($"not as documented: {what}");
}

/// <summary>A token obtained beforehand (make token, or an OpenID Connect client-credentials grant).</summary>
internal sealed class StaticToken(string token) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default) => Task.FromResult(token);
}
