using System.Text.Json;
using Alba;

namespace Modular.Tests.Integration.Platform;

[Collection(PlatformSuite.Name)]
public sealed class OpenApiTests(ModularApp app)
{
    [Fact]
    public async Task every_operation_has_its_module_tag_and_a_stable_unique_operation_id()
    {
        var operations = await OperationsAsync();
        var ids = operations.Select(o => o.Operation.GetProperty("operationId").GetString()!).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), new HashSet<string> { "AddProduct", "ChangeProductPrice", "GetProduct", "ListProducts",
            "RetireProduct", "PlaceOrder", "GetOrder", "ListCustomerOrders", "CancelOrder", "GetPayment", "ListDeadLetters" });
        Assert.All(operations, o =>
        {
            var tag = o.Operation.GetProperty("tags")[0].GetString()!;
            Assert.StartsWith($"/api/{tag.ToLowerInvariant()}/", o.Path, StringComparison.Ordinal);
        });
        Assert.Equal(["Admin", "Catalog", "Ordering", "Payments"],
            operations.Select(o => o.Operation.GetProperty("tags")[0].GetString()).Distinct().Order());
    }

    [Fact]
    public async Task operations_declare_their_typed_bodies_and_problem_responses()
    {
        var document = await DocumentAsync();
        var add = document.RootElement.GetProperty("paths").GetProperty("/api/catalog/products").GetProperty("post");

        Assert.Equal("#/components/schemas/AddProduct",
            add.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")
                .GetProperty("$ref").GetString());
        Assert.True(add.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(add.GetProperty("responses").GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(add.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task the_request_examples_succeed_as_they_stand()
    {
        await app.ResetAsync();
        var schemas = (await DocumentAsync()).RootElement.GetProperty("components").GetProperty("schemas");
        string Example(string schema) => schemas.GetProperty(schema).GetProperty("example").GetRawText();

        var product = Guid.Empty;
        await app.TrackAsync(async () => // until Ordering has learned of the product
        {
            var added = await SendAsync("POST", "/api/catalog/products", Example("AddProduct"), 201);
            product = added.RootElement.GetProperty("id").GetGuid();
            await SendAsync("PUT", $"/api/catalog/products/{product}/price", Example("ChangeProductPrice"), 200);
        });
        await SendAsync("PUT", "/api/payments/simulator", Example("SimulatorRules"), 200);
        // The order example names a product id to replace with one of yours, as its description says.
        var order = Example("PlaceOrder").Replace(Modular.Modules.Ordering.PlaceOrderLine.Example.ProductId.ToString(), product.ToString(),
            StringComparison.Ordinal);
        await SendAsync("POST", "/api/ordering/orders", order, 201);
    }

    [Fact]
    public async Task limits_and_required_members_are_the_ones_the_server_enforces()
    {
        var schemas = (await DocumentAsync()).RootElement.GetProperty("components").GetProperty("schemas");
        var sku = schemas.GetProperty("AddProduct").GetProperty("properties").GetProperty("sku");
        var quantity = schemas.GetProperty("PlaceOrderLine").GetProperty("properties").GetProperty("quantity");
        var amount = schemas.GetProperty("Money").GetProperty("properties").GetProperty("amount");

        Assert.Equal(32, sku.GetProperty("maxLength").GetInt32());
        Assert.Equal("^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", sku.GetProperty("pattern").GetString());
        Assert.Equal((1, 1000), (quantity.GetProperty("minimum").GetInt32(), quantity.GetProperty("maximum").GetInt32()));
        Assert.True(amount.GetProperty("exclusiveMinimum").GetBoolean());
        Assert.Equal(["name", "price", "sku"], schemas.GetProperty("AddProduct").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.False(schemas.GetProperty("AddProduct").GetProperty("additionalProperties").GetBoolean());

        // What the document calls required, the server requires: leave out a value-typed member and it is a 400.
        var rules = JsonSerializer.Deserialize<Dictionary<string, object>>(schemas.GetProperty("SimulatorRules").GetProperty("example").GetRawText())!;
        rules.Remove("flakyFailures");
        var problem = await app.ProblemAsync(x => x.Put.Json(rules).ToUrl("/api/payments/simulator"), 400);
        Assert.Equal(["flakyFailures"], problem.Errors!.Keys);
    }

    [Fact]
    public async Task the_contract_check_sees_every_api_answer_and_catches_an_undeclared_status_a_body_off_its_schema_and_an_undocumented_operation()
    {
        var contract = app.Contract!;
        var before = contract.Checked;
        await app.Host.Scenario(x => x.Get.Url("/api/catalog/products"));
        Assert.Equal(before + 1, contract.Checked);

        const string problem = """{"type":"/problems/not-found","title":"Not found.","status":404,"traceId":"00-0123456789abcdef0123456789abcdef-0123456789abcdef-01"}""";

        Assert.Null(contract.Violation("GET", "/api/catalog/products/0193", 404, "application/problem+json", problem));
        Assert.Contains("not declared", contract.Violation("GET", "/api/catalog/products/0193", 418, "application/problem+json", problem));
        Assert.Contains("breaks its schema", contract.Violation("GET", "/api/catalog/products/0193", 404, "application/problem+json",
            problem.Replace("}", ""","exceptionType":"System.Exception"}""", StringComparison.Ordinal)));
        Assert.Contains("breaks its schema", contract.Violation("GET", "/api/catalog/products", 200, "application/json",
            """{"items":[],"page":"one","pageSize":20,"totalItems":0,"totalPages":0}"""));
        Assert.Contains("media type", contract.Violation("GET", "/api/catalog/products/0193", 404, "text/plain", "Not found"));
        Assert.Contains("no operation", contract.Violation("PATCH", "/api/catalog/products", 200, "application/json", "{}"));
    }

    [Fact]
    public async Task the_swagger_ui_is_served() =>
        await app.Host.Scenario(x =>
        {
            x.Get.Url("/swagger/index.html");
            x.ContentTypeShouldBe("text/html;charset=utf-8");
        });

    private async Task<JsonDocument> SendAsync(string method, string url, string json, int status)
    {
        var result = await app.Host.Scenario(x =>
        {
            x.Post.Url(url); // the method is set below, after Alba's
            x.ConfigureHttpContext(context =>
            {
                context.Request.Method = method;
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
            });
            x.StatusCodeShouldBe(status);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync());
    }

    private async Task<JsonDocument> DocumentAsync() =>
        JsonDocument.Parse(await (await app.Host.Scenario(x => x.Get.Url("/swagger/v1/swagger.json"))).ReadAsTextAsync());

    private async Task<List<(string Path, JsonElement Operation)>> OperationsAsync() =>
        (await DocumentAsync()).RootElement.GetProperty("paths").EnumerateObject()
        .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Value)))
        .ToList();
}
