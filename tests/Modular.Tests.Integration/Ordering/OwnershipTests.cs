using Alba;
using Modular.Modules.Ordering;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Integration.Ordering;

/// <summary>
/// A customer acts for themself only: the token's subject is the customer id. Placing or listing for someone else is
/// a 403; another customer's order or payment is a 404 (its existence is not theirs to know). Staff act for anyone.
/// </summary>
[Collection(OrderingSuite.Name)]
public sealed class OwnershipTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task a_customer_places_reads_lists_and_cancels_their_own_orders_only()
    {
        var product = await AddProductAsync("OWN-1", 10m);
        var alice = Token("alice", Roles.Customer);
        var bob = Token("bob", Roles.Customer);

        await SendAsync(bob, x => x.Post.Json(AnOrder("alice", (product, 1))).ToUrl(Orders), 403);
        var order = Guid.Empty;
        await App.TrackAsync(async () => // until the payment is taken too
        {
            var created = await SendAsync(alice, x => x.Post.Json(AnOrder("alice", (product, 1))).ToUrl(Orders), 201);
            order = (await created.ReadAsJsonAsync<OrderAccepted>())!.Id;
        });

        await SendAsync(alice, x => x.Get.Url($"{Orders}/{order}"), 200);
        await SendAsync(alice, x => x.Get.Url($"/api/payments/orders/{order}"), 200);
        await SendAsync(bob, x => x.Get.Url($"{Orders}/{order}"), 404);
        await SendAsync(bob, x => x.Get.Url($"/api/payments/orders/{order}"), 404);
        await SendAsync(bob, x => x.Post.Url($"{Orders}/{order}/cancel"), 404);
        await SendAsync(bob, x => x.Get.Url($"{Orders}?customerId=alice"), 403);
        var own = await SendAsync(alice, x => x.Get.Url($"{Orders}?customerId=alice"), 200);
        Assert.Equal(order, (await own.ReadAsJsonAsync<OrderPage>())!.Items.Single().Id);
        await SendAsync(Token("sam", Roles.Staff), x => x.Get.Url($"{Orders}/{order}"), 200);
    }

    private string Token(string subject, string role) => App.Tokens.Issue(subject, [role], TimeSpan.FromMinutes(5));

    private Task<IScenarioResult> SendAsync(string token, Action<Scenario> request, int status) =>
        Host.Scenario(x =>
        {
            request(x);
            x.WithRequestHeader("Authorization", $"Bearer {token}");
            x.StatusCodeShouldBe(status);
        });
}
