using Modular.Modules.Ordering;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Integration.Ordering;

/// <summary>
/// The caller of a request travels with the work it causes: Payments, two message hops away, records who asked for
/// the payment and through which client; both stores record the subject with what changed. A client cannot name
/// another caller with a header.
/// </summary>
public sealed class CallerTests(ModularApp app) : OrderingTest(app)
{
    [Fact]
    public async Task the_payment_records_the_caller_of_the_request_that_placed_the_order_and_ignores_forged_headers()
    {
        var product = await AddProductAsync("WHO-1", 10m);
        var alice = App.Tokens.Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5), clientId: "shop-web");

        Guid id = default;
        await App.TrackAsync(async () =>
        {
            var result = await Host.Scenario(x =>
            {
                x.Post.Json(AnOrder("alice", (product, 1))).ToUrl(Orders);
                x.WithRequestHeader("Authorization", $"Bearer {alice}");
                x.WithRequestHeader("user-name", "mallory"); // an envelope header's name, sent by a client
                x.WithRequestHeader(Caller.ClientIdHeader, "forged");
                x.StatusCodeShouldBe(201);
            });
            id = (await result.ReadAsJsonAsync<OrderAccepted>())!.Id;
        });

        var payment = await GetPaymentAsync(id);
        Assert.Equal(("alice", "shop-web"), (payment.RequestedBy, payment.ClientId));
        // Marten's metadata, written by the framework: the order's events and the payment document.
        Assert.Equal("alice", await App.Database.ScalarAsync<string>(
            $"select string_agg(distinct coalesce(user_name, '(none)'), ',') from ordering.mt_events where stream_id = '{id}'"));
        Assert.Equal("alice", await App.Database.ScalarAsync<string>(
            $"select last_modified_by from payments.mt_doc_payment where id = '{id}'"));
    }

    [Fact]
    public async Task staff_placing_an_order_for_a_customer_is_recorded_as_the_one_who_asked()
    {
        var product = await AddProductAsync("WHO-2", 10m);
        var sam = App.Tokens.Issue("sam", [Roles.Staff, Roles.Customer], TimeSpan.FromMinutes(5));

        var (id, _) = await PlaceAsync(AnOrder("alice", (product, 1)), token: sam);

        var payment = await GetPaymentAsync(id);
        Assert.Equal(("sam", null), (payment.RequestedBy, payment.ClientId));
    }
}
