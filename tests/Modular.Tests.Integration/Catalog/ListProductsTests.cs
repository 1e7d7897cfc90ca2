using Modular.Modules.Catalog;

namespace Modular.Tests.Integration.Catalog;

public sealed class ListProductsTests(ModularApp app) : CatalogTest(app)
{
    [Fact]
    public async Task pages_through_products_in_a_stable_name_then_sku_order()
    {
        foreach (var (sku, name) in new[] { ("C-1", "Cog"), ("A-2", "Anvil"), ("A-1", "Anvil"), ("B-1", "Bolt"), ("D-1", "Drill") })
            await AddAsync(AValidProduct(sku, name));

        var first = await PageAsync("?page=1&pageSize=2");
        var second = await PageAsync("?page=2&pageSize=2");
        var third = await PageAsync("?page=3&pageSize=2");

        Assert.Equal(["A-1", "A-2"], first.Items.Select(p => p.Sku));
        Assert.Equal(["B-1", "C-1"], second.Items.Select(p => p.Sku));
        Assert.Equal(["D-1"], third.Items.Select(p => p.Sku));
        Assert.Equal(5, first.TotalItems);
        Assert.Equal(3, first.TotalPages);
    }

    [Fact]
    public async Task filters_by_part_of_the_name_ignoring_case_and_by_status()
    {
        await AddAsync(AValidProduct("W-1", "Blue Widget"));
        await AddAsync(AValidProduct("W-2", "Red widget"));
        var gadget = await AddAsync(AValidProduct("G-1", "Gadget"));
        await Host.Scenario(x => x.Post.Url($"{Products}/{gadget}/retire"));

        Assert.Equal(["W-1", "W-2"], (await PageAsync("?name=WIDGET")).Items.Select(p => p.Sku));
        Assert.Equal(["G-1"], (await PageAsync("?status=Retired")).Items.Select(p => p.Sku));
        Assert.Empty((await PageAsync("?name=nothing-like-this")).Items);
    }

    [Fact]
    public async Task a_page_past_the_end_is_empty_not_an_error()
    {
        await AddAsync(AValidProduct());

        var page = await PageAsync("?page=7");

        Assert.Empty(page.Items);
        Assert.Equal(1, page.TotalItems);
    }

    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-3", "page")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    public async Task rejects_paging_out_of_range_with_400(string query, string field)
    {
        var problem = await ProblemAsync(x => x.Get.Url(Products + query), 400);

        Assert.Contains(field, problem.Errors!.Keys);
    }

    [Fact]
    public async Task rejects_a_page_number_that_is_not_a_number_with_400() =>
        await ProblemAsync(x => x.Get.Url(Products + "?page=two"), 400);

    private async Task<ProductPage> PageAsync(string query) =>
        (await (await Host.Scenario(x => x.Get.Url(Products + query))).ReadAsJsonAsync<ProductPage>())!;
}
