using System.Text.Json;
using Alba;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// Inputs that used to reach PostgreSQL or a null dereference (500s), and framework answers that named .NET types or
/// echoed the input: each is now a 4xx ProblemDetails naming the field, with nothing written and nothing internal said.
/// </summary>
[Collection(PlatformSuite.Name)]
public sealed class HostileInputTests(ModularApp app)
{
    private const string Products = "/api/catalog/products";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Internals = ["Exception", "Modular.", "System.", "Npgsql", "   at ", "LineNumber", "bytePosition"];

    [Theory]
    [InlineData("sku")]
    [InlineData("name")]
    [InlineData("description")]
    public async Task a_nul_character_in_a_body_field_is_a_400_naming_the_field_and_writes_nothing(string field)
    {
        var body = new Dictionary<string, object?>
        {
            ["sku"] = "CTL-1", ["name"] = "Widget", ["description"] = null, ["price"] = new { amount = 1, currency = "EUR" },
        };
        body[field] = "a\u0000b";
        var before = await CountProductsAsync();

        var (problem, text) = await ProblemAsync(x => x.Post.Json(body).ToUrl(Products), 400);

        Assert.Equal([field], problem.Errors!.Keys);
        Assert.Equal(before, await CountProductsAsync());
        AssertNoInternals(text);
    }

    [Fact]
    public async Task a_control_character_in_a_query_value_is_a_400_naming_the_parameter()
    {
        var (problem, _) = await ProblemAsync(x => x.Get.Url("/api/ordering/orders?customerId=a%00b"), 400);

        Assert.Equal(["customerId"], problem.Errors!.Keys);
    }

    [Fact]
    public async Task a_json_null_body_is_a_400_not_a_500()
    {
        var before = await CountProductsAsync();

        var (problem, _) = await ProblemAsync(x =>
        {
            x.Post.Url(Products);
            x.ConfigureHttpContext(context =>
            {
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream("null"u8.ToArray());
                context.Request.ContentLength = 4;
            });
        }, 400);

        Assert.Equal(["body"], problem.Errors!.Keys);
        Assert.Equal(before, await CountProductsAsync());
    }

    [Theory]
    [InlineData("POST", "/api/ordering/orders/00000000-0000-0000-0000-000000000000/cancel")]
    [InlineData("GET", "/api/ordering/orders/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/api/payments/orders/00000000-0000-0000-0000-000000000000")]
    public async Task the_empty_id_is_a_404(string method, string url) =>
        await ProblemAsync(x => (method == "POST" ? x.Post : x.Get).Url(url), 404);

    [Fact]
    public async Task a_value_of_the_wrong_type_is_a_400_naming_the_field_and_no_type()
    {
        var (problem, text) = await ProblemAsync(x => x.Post.Json(new { sku = "T-1", name = "n", price = "cheap" }).ToUrl(Products), 400);

        Assert.Equal(["price"], problem.Errors!.Keys);
        AssertNoInternals(text);
    }

    [Fact]
    public async Task malformed_json_is_a_400_in_the_field_error_shape()
    {
        var (problem, text) = await ProblemAsync(x =>
        {
            x.Post.Url(Products);
            x.ConfigureHttpContext(context =>
            {
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream("{\"sku\":"u8.ToArray());
            });
        }, 400);

        Assert.NotEmpty(problem.Errors!);
        AssertNoInternals(text);
    }

    [Fact]
    public async Task an_unparseable_query_value_is_a_400_naming_the_parameter_without_echoing_it()
    {
        var value = new string('x', 5_000);

        var (problem, text) = await ProblemAsync(x => x.Get.Url($"{Products}?page={value}"), 400);

        Assert.Equal(["page"], problem.Errors!.Keys);
        Assert.DoesNotContain(value[..50], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_huge_invalid_value_is_not_echoed_back_in_full()
    {
        var currency = new string('Q', 1_000_000);

        var (_, text) = await ProblemAsync(x => x.Post.Json(new { sku = "BIG-1", name = "n", price = new { amount = 1, currency } })
            .ToUrl(Products), 400);

        Assert.True(text.Length < 4_000, $"a {text.Length}-character answer");
    }

    /// <summary>Sends the request; checks status and media type; returns the problem and its raw text.</summary>
    private async Task<(ProblemBody Problem, string Text)> ProblemAsync(Action<Scenario> request, int status)
    {
        var result = await app.Host.Scenario(x =>
        {
            request(x);
            x.StatusCodeShouldBe(status);
            x.ContentTypeShouldBe("application/problem+json");
        });
        var text = await result.ReadAsTextAsync();
        var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json)!;
        Assert.Equal(status, problem.Status);
        return (problem, text);
    }

    private Task<long> CountProductsAsync() => app.Database.ScalarAsync<long>("select count(*) from catalog.mt_doc_product");

    private static void AssertNoInternals(string text)
    {
        foreach (var word in Internals) Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        Assert.True(text.Length < 2_000, text);
        Assert.Contains("traceId", text, StringComparison.Ordinal);
    }
}
