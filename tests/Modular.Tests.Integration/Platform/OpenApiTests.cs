using Alba;
using System.Text.Json;

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
    public async Task the_swagger_ui_is_served() =>
        await app.Host.Scenario(x =>
        {
            x.Get.Url("/swagger/index.html");
            x.ContentTypeShouldBe("text/html;charset=utf-8");
        });

    private async Task<JsonDocument> DocumentAsync() =>
        JsonDocument.Parse(await (await app.Host.Scenario(x => x.Get.Url("/swagger/v1/swagger.json"))).ReadAsTextAsync());

    private async Task<List<(string Path, JsonElement Operation)>> OperationsAsync() =>
        (await DocumentAsync()).RootElement.GetProperty("paths").EnumerateObject()
        .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Value)))
        .ToList();
}
