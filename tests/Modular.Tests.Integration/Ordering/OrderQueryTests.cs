using Modular.Modules.Ordering;

namespace Modular.Tests.Integration.Ordering;

public sealed class OrderQueryTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task lists_a_customers_orders_newest_first_in_pages()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await PlaceAsync(AnOrder("alice", (widget, i + 1)))).Id);
        await PlaceAsync(AnOrder("bob", (widget, 1)));

        var first = await PageAsync("?customerId=alice&pageSize=2");
        var second = await PageAsync("?customerId=alice&pageSize=2&page=2");

        Assert.Equal([ids[2], ids[1]], first.Items.Select(o => o.Id));
        Assert.Equal([ids[0]], second.Items.Select(o => o.Id));
        Assert.Equal(3, first.TotalItems);
    }

    [Theory]
    [InlineData("", "customerId")]
    [InlineData("?customerId=alice&page=0", "page")]
    [InlineData("?customerId=alice&pageSize=500", "pageSize")]
    public async Task refuses_a_listing_without_customer_or_with_paging_out_of_range(string query, string field) =>
        Assert.Contains(field, (await ProblemAsync(x => x.Get.Url(Orders + query), 400)).Errors!.Keys);

    [Fact]
    public async Task unknown_orders_and_payments_are_404() =>
        await Task.WhenAll(
            ProblemAsync(x => x.Get.Url($"{Orders}/{Guid.NewGuid()}"), 404),
            ProblemAsync(x => x.Post.Url($"{Orders}/{Guid.NewGuid()}/cancel"), 404),
            ProblemAsync(x => x.Get.Url($"/api/payments/orders/{Guid.NewGuid()}"), 404));

    private async Task<OrderPage> PageAsync(string query) =>
        (await (await Host.Scenario(x => x.Get.Url(Orders + query))).ReadAsJsonAsync<OrderPage>())!;
}
