using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Tests.Integration.Catalog;

public sealed class AddProductTests(ModularApp app) : CatalogTest(app)
{
    [Fact]
    public async Task adds_a_product_that_can_be_read_back_at_its_location()
    {
        var result = await Host.Scenario(x =>
        {
            x.Post.Json(AValidProduct(sku: "wid-1 ")).ToUrl(Products);
            x.StatusCodeShouldBe(201);
        });
        var added = await result.ReadAsJsonAsync<ProductAdded>();
        Assert.Equal($"{Products}/{added!.Id}", result.Context.Response.Headers.Location.ToString());

        var product = await GetAsync(added.Id);
        Assert.Equal("WID-1", product.Sku);
        Assert.Equal("Widget", product.Name);
        Assert.Equal(new Money(19.99m, "EUR"), product.Price);
        Assert.Equal(ProductStatus.Active, product.Status);
    }

    [Fact]
    public async Task publishes_ProductAddedEvent_through_the_outbox()
    {
        Guid id = default;
        var tracked = await App.TrackAsync(async () => id = await AddAsync(AValidProduct()));

        var published = tracked.Executed.SingleMessage<ProductAddedEvent>();
        Assert.Equal(id, published.ProductId);
        Assert.Equal("WID-1", published.Sku);
        Assert.Equal(new Money(19.99m, "EUR"), published.Price);
    }

    [Theory]
    [InlineData("", "Widget", 10, "EUR", "sku")]
    [InlineData("has space", "Widget", 10, "EUR", "sku")]
    [InlineData("WID-1", "", 10, "EUR", "name")]
    [InlineData("WID-1", "   ", 10, "EUR", "name")]
    [InlineData("WID-1", "Widget", -1, "EUR", "price.amount")]
    [InlineData("WID-1", "Widget", 0, "EUR", "price.amount")]
    [InlineData("WID-1", "Widget", 1000000000, "EUR", "price.amount")]
    [InlineData("WID-1", "Widget", 10.001, "EUR", "price.amount")]
    [InlineData("WID-1", "Widget", 10.5, "JPY", "price.amount")]
    [InlineData("WID-1", "Widget", 10, "XYZ", "price.currency")]
    [InlineData("WID-1", "Widget", 10, "", "price.currency")]
    public async Task rejects_an_invalid_field_with_400_naming_it_and_stores_nothing(string sku, string name, decimal amount,
        string currency, string field)
    {
        var problem = await ProblemAsync(x => x.Post.Json(AValidProduct(sku, name, amount, currency)).ToUrl(Products), 400);

        Assert.Contains(field, problem.Errors!.Keys);
        Assert.Equal(0, await CountProductsAsync());
    }

    [Fact]
    public async Task rejects_an_oversized_name_and_description()
    {
        var product = AValidProduct(name: new string('n', 201)) with { Description = new string('d', 4001) };

        var problem = await ProblemAsync(x => x.Post.Json(product).ToUrl(Products), 400);

        Assert.Contains("name", problem.Errors!.Keys);
        Assert.Contains("description", problem.Errors!.Keys);
        Assert.Equal(0, await CountProductsAsync());
    }

    [Fact]
    public async Task rejects_a_missing_price()
    {
        var problem = await ProblemAsync(x => x.Post.RawJson("""{"sku":"A-1","name":"Widget"}""").ToUrl(Products), 400);

        Assert.Contains("price", problem.Errors!.Keys);
    }

    [Fact]
    public async Task rejects_a_duplicate_sku_whatever_its_case_with_409_and_publishes_nothing_more()
    {
        await AddAsync(AValidProduct(sku: "WID-1"));

        ProblemBody? problem = null;
        var tracked = await App.TrackAsync(async () =>
            problem = await ProblemAsync(x => x.Post.Json(AValidProduct(sku: "wid-1", name: "Other")).ToUrl(Products), 409));

        // The unique index decided (no query first), and the module's own words answer it.
        Assert.Equal("SKU already in use.", problem!.Title);
        Assert.Empty(tracked.Sent.MessagesOf<ProductAddedEvent>());
        Assert.Equal(1, await CountProductsAsync());
    }

    [Fact]
    public async Task rejects_malformed_json_with_400()
    {
        await ProblemAsync(x => x.Post.RawJson("""{"sku": "A-1", "name": """).ToUrl(Products), 400);
        await ProblemAsync(x => x.Post.RawJson("""{"sku":"A-1","name":"W","price":{"amount":"ten","currency":"EUR"}}""").ToUrl(Products), 400);

        Assert.Equal(0, await CountProductsAsync());
    }

    [Fact]
    public async Task rejects_a_body_that_is_not_json_with_415()
    {
        await ProblemAsync(x => x.Post.Text("sku=A-1").ToUrl(Products), 415);

        Assert.Equal(0, await CountProductsAsync());
    }

    [Fact]
    public async Task a_change_that_fails_to_commit_publishes_nothing_and_hides_the_cause()
    {
        // A trigger makes the commit itself fail, after the endpoint has produced the document and its event.
        await App.Database.ExecuteAsync("""
            create function catalog.refuse_doomed() returns trigger language plpgsql as $$
            begin
              if new.data->>'Name' = 'Doomed' then raise exception 'commit refused by test trigger'; end if;
              return new;
            end $$;
            create trigger refuse_doomed before insert on catalog.mt_doc_product
              for each row execute function catalog.refuse_doomed();
            """);
        try
        {
            ProblemBody? problem = null;
            var tracked = await App.TrackAsync(async () =>
                problem = await ProblemAsync(x => x.Post.Json(AValidProduct(name: "Doomed")).ToUrl(Products), 500),
                failuresExpected: true);

            Assert.Empty(tracked.Sent.MessagesOf<ProductAddedEvent>());
            Assert.Equal(0, await CountProductsAsync());
            Assert.Equal(0, await App.Database.ScalarAsync<long>("select count(*) from wolverine.wolverine_incoming_envelopes"));
            Assert.Equal(0, await App.Database.ScalarAsync<long>("select count(*) from wolverine.wolverine_outgoing_envelopes"));
            Assert.DoesNotContain("trigger", problem!.Detail ?? "", StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await App.Database.ExecuteAsync("drop trigger refuse_doomed on catalog.mt_doc_product; drop function catalog.refuse_doomed();");
        }
    }
}
