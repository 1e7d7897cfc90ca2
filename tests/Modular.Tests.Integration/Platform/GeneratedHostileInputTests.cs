using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// Hostile requests generated from the OpenAPI document, for every operation it lists: path and query values that
/// are not what the parameter takes (empty, NUL, huge, wrong type, the empty id), bodies built from the operation's
/// schema and then broken (a field null, of the wrong type, with a NUL, huge, missing, an unknown member; the whole
/// body null, a list, truncated, nested too deep; another content type), starting from a valid request so that the
/// broken field is what is wrong. Whatever is sent: no 5xx, a ProblemDetails
/// naming no internals for every 4xx, nothing written by a refused request, and a healthy server afterwards.
/// Deterministic (one seed); change <see cref="Seed"/> to explore further.
/// </summary>
[Collection(PlatformSuite.Name)]
public sealed class GeneratedHostileInputTests(ModularApp app, ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private const int RequestsPerOperation = 100;
    private static readonly string[] Internals = ["Exception", "Modular.", "System.", "Npgsql", "   at ", "LineNumber"];

    private static readonly string[] HostileTexts =
        ["", " ", "a\u0000b", "\u0007", new string('x', 20_000), "00000000-0000-0000-0000-000000000000", "not-a-guid", "-1", "0",
         "2147483648", "1e309", "null", "true", "<x/>", "'; drop table x; --", "💥", "../../etc/passwd", "%00"];

    private static readonly JsonNode?[] HostileValues =
        [null, JsonValue.Create(""), JsonValue.Create("a\u0000b"), JsonValue.Create(new string('y', 100_000)), JsonValue.Create(-1),
         JsonValue.Create(0), JsonValue.Create(1e300), JsonValue.Create(long.MaxValue), JsonValue.Create(true), new JsonArray(),
         new JsonObject(), JsonValue.Create("00000000-0000-0000-0000-000000000000"), JsonValue.Create(0.0000001m)];

    private static readonly string[] HostileBodies =
        ["null", "[]", "\"text\"", "{", "", "123", "{\"a\":", new string('[', 5_000) + new string(']', 5_000), "{\"__proto__\":{}}"];

    private sealed record Operation(string Method, string Path, JsonElement Definition);

    [Fact]
    public async Task hostile_requests_for_every_operation_get_no_5xx_only_problem_details_and_write_nothing()
    {
        var document = JsonDocument.Parse(await (await app.Host.Scenario(x => x.Get.Url("/swagger/v1/swagger.json"))).ReadAsTextAsync());
        var operations = OperationsOf(document.RootElement).ToList();
        var random = new Random(Seed);
        var product = await AddProductAsync(); // valid requests refer to it, so one broken field is all that is wrong
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();

        foreach (var operation in operations)
        {
            for (var i = 0; i < RequestsPerOperation; i++)
            {
                var (url, body, contentType) = Generate(operation, document.RootElement, random, product);
                var writes = operation.Method != "GET";
                var before = writes ? await CountRowsAsync() : 0;
                var result = await app.Host.Scenario(x =>
                {
                    x.Get.Url(url);
                    x.ConfigureHttpContext(context =>
                    {
                        context.Request.Method = operation.Method;
                        if (body is null) return;
                        context.Request.Body = new MemoryStream(body);
                        context.Request.ContentLength = body.Length;
                        if (contentType is not null) context.Request.ContentType = contentType;
                    });
                    x.IgnoreStatusCode();
                });
                var status = result.Context.Response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var what = $"{operation.Method} {Shorten(url)} [{contentType}] {Shorten(body is null ? "" : Encoding.UTF8.GetString(body))}";
                if (status >= 500) failures.Add($"{status} for {what}");
                if (status is < 400 or >= 500) continue;

                var text = await result.ReadAsTextAsync();
                if (result.Context.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
                    failures.Add($"{status} without a ProblemDetails for {what}");
                if (Internals.FirstOrDefault(word => text.Contains(word, StringComparison.Ordinal)) is { } leak)
                    failures.Add($"{status} naming '{leak}' for {what}: {Shorten(text)}");
                if (text.Length > 4_000) failures.Add($"{status} of {text.Length} characters for {what}");
                if (writes && await CountRowsAsync() != before) failures.Add($"{status} but something was written for {what}");
            }
        }

        var total = statuses.Values.Sum();
        output.WriteLine($"{total} requests over {operations.Count} operations; by status: " +
                         string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(total >= 1_000, $"only {total} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers, e.g.:\n{string.Join("\n", failures.Take(10))}");
        await app.Host.Scenario(x => x.Get.Url("/health/ready")); // still healthy
    }

    private static IEnumerable<Operation> OperationsOf(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
                yield return new Operation(method.Name.ToUpperInvariant(), path.Name, method.Value);
    }

    /// <summary>Valid bodies of the write operations: each generated body is one of these with a field or two broken.</summary>
    private static JsonObject? ValidBody(Operation operation, Guid product, Random random) => $"{operation.Method} {operation.Path}" switch
    {
        "POST /api/catalog/products" => new JsonObject
        {
            ["sku"] = $"GEN-{random.Next(1_000_000)}", ["name"] = "Generated", ["description"] = "d",
            ["price"] = new JsonObject { ["amount"] = 9.99m, ["currency"] = "EUR" },
        },
        "PUT /api/catalog/products/{id}/price" => new JsonObject { ["price"] = new JsonObject { ["amount"] = 5m, ["currency"] = "EUR" } },
        "POST /api/ordering/orders" => new JsonObject
        {
            ["customerId"] = $"gen-{random.Next(1_000_000)}", ["idempotencyKey"] = Guid.NewGuid().ToString(),
            ["lines"] = new JsonArray(new JsonObject { ["productId"] = product, ["quantity"] = 1 }),
        },
        _ => null,
    };

    private async Task<Guid> AddProductAsync()
    {
        var result = await app.Host.Scenario(x =>
        {
            x.Post.Json(new { sku = "GEN-BASE", name = "Base", price = new { amount = 10m, currency = "EUR" } }).ToUrl("/api/catalog/products");
            x.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static (string Url, byte[]? Body, string? ContentType) Generate(Operation operation, JsonElement document, Random random,
        Guid product)
    {
        var path = operation.Path;
        var query = new List<string>();
        if (operation.Definition.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray())
            {
                var name = parameter.GetProperty("name").GetString()!;
                var hostile = random.Next(3) switch
                {
                    0 => product.ToString(), // an id that exists: the request gets as far as the body
                    1 when parameter.GetProperty("in").GetString() == "path" => Guid.NewGuid().ToString(),
                    _ => Pick(HostileTexts, random),
                };
                if (parameter.GetProperty("in").GetString() == "path")
                    // A NUL in the path never reaches the application (the server refuses the request line itself).
                    path = path.Replace($"{{{name}}}", Uri.EscapeDataString(hostile.Length == 0 ? " " : hostile.Replace('\u0000', '0')),
                        StringComparison.Ordinal);
                else if (random.Next(2) == 0) query.Add($"{name}={Uri.EscapeDataString(hostile)}");
            }
        }

        var url = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        if (!operation.Definition.TryGetProperty("requestBody", out var requestBody)) return (url, null, null);

        var contentType = random.Next(10) switch
        {
            0 => "text/plain",
            1 => null,
            2 => "application/json; charset=bogus",
            3 => "APPLICATION/JSON",
            _ => "application/json",
        };
        if (random.Next(5) == 0) return (url, Encoding.UTF8.GetBytes(Pick(HostileBodies, random)), contentType);

        var schema = requestBody.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema");
        var body = ValidBody(operation, product, random) ?? Example(schema, document, 0) as JsonObject ?? [];
        for (var mutations = random.Next(3) == 0 ? random.Next(2, 4) : 1; mutations > 0; mutations--) Mutate(body, random);
        return (url, Encoding.UTF8.GetBytes(body.ToJsonString()), contentType);
    }

    /// <summary>A plausible value for a schema: the starting point that the mutations then break.</summary>
    private static JsonNode? Example(JsonElement schema, JsonElement document, int depth)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            return depth > 5 ? null : Example(Resolve(reference.GetString()!, document), document, depth + 1);
        var type = schema.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.Array ? t[0].GetString() : t.GetString() : "object";
        return type switch
        {
            "string" => schema.TryGetProperty("format", out var f) && f.GetString() == "uuid" ? JsonValue.Create(Guid.NewGuid()) : JsonValue.Create("X-1"),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1.5m),
            "boolean" => JsonValue.Create(true),
            "array" => new JsonArray(schema.TryGetProperty("items", out var items) ? Example(items, document, depth + 1) : null),
            _ => schema.TryGetProperty("properties", out var properties)
                ? new JsonObject(properties.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Example(p.Value, document, depth + 1))))
                : [],
        };
    }

    private static void Mutate(JsonObject body, Random random)
    {
        var target = body;
        // Go down into a nested object or the first item of a list now and then (price, lines[0]).
        foreach (var (_, child) in body.ToList())
            if (random.Next(3) == 0 && (child as JsonObject ?? (child as JsonArray)?.FirstOrDefault() as JsonObject) is { } inner) target = inner;
        var names = target.Select(p => p.Key).ToList();
        switch (random.Next(4))
        {
            case 0 when names.Count > 0:
                target.Remove(Pick(names, random));
                break;
            case 1:
                target["__unknown"] = Pick(HostileValues, random)?.DeepClone();
                break;
            default:
                if (names.Count > 0) target[Pick(names, random)] = Pick(HostileValues, random)?.DeepClone();
                break;
        }
    }

    private static JsonElement Resolve(string reference, JsonElement document) =>
        reference.TrimStart('#', '/').Split('/').Aggregate(document, (node, part) => node.GetProperty(part));

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;

    /// <summary>
    /// What a request writes synchronously: products and order streams. (Read models, payments and the message store
    /// change later, as messages of earlier accepted requests are handled, so they say nothing about this request.)
    /// </summary>
    private Task<long> CountRowsAsync() => app.Database.ScalarAsync<long>(
        "select (select count(*) from catalog.mt_doc_product) + (select count(*) from ordering.mt_streams)");
}
