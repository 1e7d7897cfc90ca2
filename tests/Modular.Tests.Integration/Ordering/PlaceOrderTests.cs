using Modular.Modules.Ordering;
using Modular.Modules.Ordering.Contracts;

namespace Modular.Tests.Integration.Ordering;

/// <summary>Placing an order: what is refused, and that a refused order leaves nothing behind.</summary>
public sealed class PlaceOrderTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task refuses_an_unknown_product_with_422_and_writes_nothing()
    {
        var problem = await ProblemAsync(x => x.Post.Json(AnOrder("alice", (Guid.NewGuid(), 1))).ToUrl(Orders), 422);

        Assert.Contains("lines[0].productId", problem.Errors!.Keys);
        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task refuses_a_retired_product_with_422_and_writes_nothing()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var gadget = await AddProductAsync("GAD-1", 10m);
        await App.TrackAsync(() => Host.Scenario(x => x.Post.Url($"/api/catalog/products/{gadget}/retire")));

        var problem = await ProblemAsync(x => x.Post.Json(AnOrder("alice", (widget, 1), (gadget, 1))).ToUrl(Orders), 422);

        Assert.Equal(["lines[1].productId"], problem.Errors!.Keys);
        Assert.Contains("retired", problem.Errors["lines[1].productId"][0], StringComparison.Ordinal);
        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task refuses_lines_in_different_currencies_with_422()
    {
        var euros = await AddProductAsync("EUR-1", 10m);
        var dollars = await AddProductAsync("USD-1", 10m, "USD");

        var problem = await ProblemAsync(x => x.Post.Json(AnOrder("alice", (euros, 1), (dollars, 1))).ToUrl(Orders), 422);

        Assert.Contains("USD", problem.Errors!["lines[1].productId"][0], StringComparison.Ordinal);
        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Theory]
    [InlineData(0, "lines[0].quantity")]
    [InlineData(-2, "lines[0].quantity")]
    [InlineData(1001, "lines[0].quantity")]
    public async Task refuses_a_quantity_out_of_range_with_400(int quantity, string field)
    {
        var widget = await AddProductAsync("WID-1", 10m);

        var problem = await ProblemAsync(x => x.Post.Json(AnOrder("alice", (widget, quantity))).ToUrl(Orders), 400);

        Assert.Contains(field, problem.Errors!.Keys);
        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task refuses_too_many_lines_no_lines_and_repeated_products_with_400()
    {
        var tooMany = Enumerable.Range(0, PlaceOrderEndpoint.MaxLines + 1).Select(_ => (Guid.NewGuid(), 1)).ToArray();
        var widget = Guid.NewGuid();

        Assert.Contains("lines", (await ProblemAsync(x => x.Post.Json(AnOrder("alice", tooMany)).ToUrl(Orders), 400)).Errors!.Keys);
        Assert.Contains("lines", (await ProblemAsync(x => x.Post.Json(AnOrder("alice")).ToUrl(Orders), 400)).Errors!.Keys);
        Assert.Contains("lines", (await ProblemAsync(x =>
            x.Post.Json(AnOrder("alice", (widget, 1), (widget, 2))).ToUrl(Orders), 400)).Errors!.Keys);
        Assert.Equal(0, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task past_the_line_limit_the_answer_is_one_error_however_many_bad_lines()
    {
        var lines = Enumerable.Range(0, 5_000).Select(_ => (Guid.Empty, 0)).ToArray(); // each line wrong twice over

        var problem = await ProblemAsync(x => x.Post.Json(AnOrder("alice", lines)).ToUrl(Orders), 400);

        Assert.Equal(["lines"], problem.Errors!.Keys);
        Assert.Equal([$"An order has at most {PlaceOrderEndpoint.MaxLines} lines."], problem.Errors["lines"]);
    }

    [Fact]
    public async Task refuses_a_missing_customer_or_idempotency_key_with_400()
    {
        var problem = await ProblemAsync(x => x.Post.RawJson("""{"lines":[{"productId":"3f2b1c4e-0000-0000-0000-000000000001","quantity":1}]}""")
            .ToUrl(Orders), 400);

        Assert.Contains("customerId", problem.Errors!.Keys);
        Assert.Contains("idempotencyKey", problem.Errors.Keys);
    }

    [Fact]
    public async Task a_retry_with_the_same_key_and_body_returns_the_same_order_and_charges_once()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var order = AnOrder("alice", (widget, 2));
        var (first, _) = await PlaceAsync(order);

        var (second, tracked) = await PlaceAsync(order);

        Assert.Equal(first, second);
        Assert.Empty(tracked.Sent.MessagesOf<OrderPlacedEvent>());
        Assert.Equal(1, (await LedgerAsync(first)).ChargeAttempts);
        Assert.Equal(1, await App.Database.ScalarAsync<long>("select count(distinct stream_id) from ordering.mt_events"));
    }

    [Fact]
    public async Task requests_racing_with_one_key_all_get_the_one_order()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var order = AnOrder("alice", (widget, 1));
        var ids = new Guid[25];

        // A client resending while its first request is still running: the losers of the race on the order's
        // stream are run again on fresh data and find the winner's order, none of them a 409 or a 500.
        await App.TrackAsync(() => Task.WhenAll(Enumerable.Range(0, ids.Length).Select(async i =>
        {
            var result = await Host.Scenario(x =>
            {
                x.Post.Json(order).ToUrl(Orders);
                x.StatusCodeShouldBe(201);
            });
            ids[i] = (await result.ReadAsJsonAsync<OrderAccepted>())!.Id;
        })));

        Assert.Single(ids.Distinct());
        Assert.Equal(1, await App.Database.ScalarAsync<long>("select count(distinct stream_id) from ordering.mt_events"));
        Assert.Equal(1, (await LedgerAsync(ids[0])).ChargeAttempts);
    }

    [Fact]
    public async Task reusing_a_key_for_a_different_order_is_refused_with_422()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var order = AnOrder("alice", (widget, 2));
        var (first, _) = await PlaceAsync(order);
        var events = await CountOrderEventsAsync();

        var problem = await ProblemAsync(x => x.Post.Json(order with { Lines = [new PlaceOrderLine(widget, 3)] }).ToUrl(Orders), 422);

        Assert.Contains(first.ToString(), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(events, await CountOrderEventsAsync());
    }

    [Fact]
    public async Task the_same_key_from_another_customer_is_another_order()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var order = AnOrder("alice", (widget, 1));

        var (first, _) = await PlaceAsync(order);
        var (second, _) = await PlaceAsync(order with { CustomerId = "bob" });

        Assert.NotEqual(first, second);
    }
}
