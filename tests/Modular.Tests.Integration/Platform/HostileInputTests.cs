using System.Text.Json;
using Alba;
using Modular.Platform.Composition.Http;

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
    public async Task an_overlong_simulator_prefix_is_a_400_naming_it_and_the_rules_stay_as_they_were()
    {
        var rules = new
        {
            declineCustomersStartingWith = new string('d', 101), declineAmountsAbove = 10_000m, flakyCustomersStartingWith = "flaky-",
            flakyFailures = 2, merchantMisconfigured = false, latencyMilliseconds = 0,
        };

        var before = await (await app.Host.Scenario(x => x.Get.Url("/api/payments/simulator"))).ReadAsTextAsync();

        var (problem, _) = await ProblemAsync(x => x.Put.Json(rules).ToUrl("/api/payments/simulator"), 400);

        Assert.Equal(["declineCustomersStartingWith"], problem.Errors!.Keys);
        Assert.Equal(before, await (await app.Host.Scenario(x => x.Get.Url("/api/payments/simulator"))).ReadAsTextAsync());
    }

    [Fact]
    public async Task a_body_over_the_limit_is_a_413_before_it_is_read_and_writes_nothing()
    {
        var body = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(
            new { sku = "BIG-2", name = new string('n', (int)RequestLimits.DefaultMaxBodySize), price = new { amount = 1, currency = "EUR" } }));
        var before = await CountProductsAsync();

        var (problem, text) = await ProblemAsync(x =>
        {
            x.Post.Url(Products);
            x.ConfigureHttpContext(context => SetBody(context, body, "application/json"));
        }, 413);

        Assert.Equal("/problems/payload-too-large", problem.Type);
        Assert.Contains("1,048,576 bytes", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await CountProductsAsync());
        AssertNoInternals(text);
    }

    [Fact]
    public async Task a_huge_invalid_value_is_not_echoed_back_in_full()
    {
        var currency = new string('Q', 1_000_000);

        var (_, text) = await ProblemAsync(x => x.Post.Json(new { sku = "BIG-1", name = "n", price = new { amount = 1, currency } })
            .ToUrl(Products), 400);

        Assert.True(text.Length < 4_000, $"a {text.Length}-character answer");
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("application/json;q=0")]
    public async Task an_accept_header_without_json_is_a_406_in_problem_json(string accept)
    {
        var (problem, _) = await ProblemAsync(x =>
        {
            x.Get.Url(Products);
            x.WithRequestHeader("Accept", accept);
        }, 406);

        Assert.Equal("/problems/not-acceptable", problem.Type);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("Application/Json; charset=UTF-8")]
    public async Task json_in_any_letter_case_is_json(string contentType)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new { sku = $"CASE-{Guid.NewGuid():N}"[..20], name = "Cased", price = new { amount = 1, currency = "EUR" } }, Json);

        await app.Host.Scenario(x =>
        {
            x.Post.Url(Products);
            x.WithRequestHeader("Accept", "text/html, application/json;q=0.5");
            x.ConfigureHttpContext(context => SetBody(context, body, contentType));
            x.StatusCodeShouldBe(201);
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/xml")]
    public async Task a_body_not_declared_as_utf8_json_is_a_415_and_writes_nothing(string? contentType)
    {
        var before = await CountProductsAsync();
        var body = """{"sku":"MEDIA-1","name":"n","price":{"amount":1,"currency":"EUR"}}"""u8.ToArray();

        var (problem, _) = await ProblemAsync(x =>
        {
            x.Post.Url(Products);
            x.ConfigureHttpContext(context => SetBody(context, body, contentType));
        }, 415);

        Assert.Equal("/problems/unsupported-media-type", problem.Type);
        Assert.Equal(before, await CountProductsAsync());
    }

    [Fact]
    public async Task an_empty_body_is_a_400_naming_the_body()
    {
        var (problem, _) = await ProblemAsync(x =>
        {
            x.Post.Url(Products);
            x.ConfigureHttpContext(context => SetBody(context, [], "application/json"));
        }, 400);

        Assert.Equal(["body"], problem.Errors!.Keys);
    }

    [Theory]
    [InlineData("""{"sku":"UNK-1","name":"n","price":{"amount":1,"currency":"EUR"},"__proto__":{}}""", "__proto__")]
    [InlineData("""{"sku":"UNK-1","name":"n","price":{"amount":1,"currency":"EUR","rate":2}}""", "rate")]
    [InlineData("""{"sku":"UNK-1","name":"n","prize":{"amount":1,"currency":"EUR"}}""", "prize")]
    public Task a_member_the_operation_does_not_have_is_a_400_naming_it_and_writes_nothing(string json, string member) =>
        AssertProductRefusedNamingAsync(json, member);

    [Theory]
    [InlineData("""{"sku":"DUP-1","sku":"DUP-2","name":"n","price":{"amount":1,"currency":"EUR"}}""", "sku")]
    [InlineData("""{"sku":"DUP-1","name":"n","price":{"amount":1,"currency":"EUR","currency":"USD"}}""", "currency")]
    [InlineData("""{"sku":"STR-1","name":"n","price":{"amount":"19.99","currency":"EUR"}}""", "price.amount")]
    public Task a_repeated_member_or_a_number_sent_as_text_is_a_400_naming_it_and_writes_nothing(string json, string member) =>
        AssertProductRefusedNamingAsync(json, member);

    /// <summary>Adding a product with <paramref name="json"/> is a 400 naming <paramref name="member"/> alone, and adds nothing.</summary>
    private async Task AssertProductRefusedNamingAsync(string json, string member)
    {
        var before = await CountProductsAsync();

        var (problem, text) = await ProblemAsync(x =>
        {
            x.Post.Url(Products);
            x.ConfigureHttpContext(context => SetBody(context, System.Text.Encoding.UTF8.GetBytes(json), "application/json"));
        }, 400);

        Assert.Equal([member], problem.Errors!.Keys);
        Assert.Equal(before, await CountProductsAsync());
        AssertNoInternals(text);
    }

    [Theory]
    [InlineData("GET", "/api/nowhere", 404, "/problems/not-found")]
    [InlineData("DELETE", Products, 405, "/problems/method-not-allowed")]
    [InlineData("GET", "/api/catalog/products/not-a-guid", 404, "/problems/not-found")]
    [InlineData("GET", "/api/catalog/products?page=x", 400, "/problems/invalid-request")]
    public async Task framework_answers_carry_the_catalogue_type_and_a_trace_id(string method, string url, int status, string type)
    {
        var (problem, _) = await ProblemAsync(x => x.ConfigureHttpContext(context => context.Request.Method = method), status, url);

        Assert.Equal(type, problem.Type);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", problem.TraceId);
    }

    [Fact]
    public async Task every_type_uri_resolves_to_its_description()
    {
        foreach (var type in Modular.Sdk.ProblemTypes.All)
        {
            var result = await app.Host.Scenario(x =>
            {
                x.Get.Url(type.Uri);
                x.ContentTypeShouldBe("text/plain; charset=utf-8");
            });
            Assert.StartsWith($"{type.Title} ({type.Status})", await result.ReadAsTextAsync(), StringComparison.Ordinal);
        }
    }

    private static void SetBody(Microsoft.AspNetCore.Http.HttpContext context, byte[] body, string? contentType)
    {
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
    }

    /// <summary>Sends the request; checks status and media type; returns the problem and its raw text.</summary>
    private async Task<(ProblemBody Problem, string Text)> ProblemAsync(Action<Scenario> request, int status, string? url = null)
    {
        var result = await app.Host.Scenario(x =>
        {
            if (url is not null) x.Get.Url(url);
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
