using Modular.Modules.Ordering;
using Modular.Modules.Ordering.Contracts;
using Modular.Platform.Composition.Security;
using Modular.Platform.Distribution.Operations;

namespace Modular.Tests.Integration.Ordering;

/// <summary>A permanent provider failure parks the payment request as a dead letter; an operator fixes the cause and replays it.</summary>
public sealed class DeadLetterTests(ModularApp app) : OrderingTest(app)
{
    private const string DeadLetters = "/api/admin/dead-letters";

    [Fact]
    public async Task a_permanently_failing_payment_is_dead_lettered_listed_and_replayed_after_the_fix()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        Simulator.MerchantMisconfigured = true;

        var liam = App.Tokens.Issue("liam", [Roles.Customer], TimeSpan.FromMinutes(5), clientId: "shop-web");
        var (id, _) = await PlaceAsync(AnOrder("liam", (widget, 1)), failuresExpected: true, token: liam);

        Assert.Equal(OrderStatus.AwaitingPayment, (await GetOrderAsync(id)).Status);
        var letter = Assert.Single(await ListAsync());
        Assert.Equal(typeof(PaymentRequestedEvent).FullName, letter.MessageType);
        Assert.Contains("misconfigured", letter.ExceptionMessage, StringComparison.Ordinal);
        Assert.Equal(1, (await LedgerAsync(id)).ChargeAttempts); // permanent: no retries

        Simulator.MerchantMisconfigured = false;
        await App.TrackAsync(() => Host.Scenario(x =>
        {
            x.Post.Url($"{DeadLetters}/{letter.Id}/replay");
            x.StatusCodeShouldBe(202);
        }));

        Assert.Equal(OrderStatus.Confirmed, (await GetOrderAsync(id)).Status);
        Assert.Empty(await ListAsync());
        // Replayed by an admin, still done for the customer who placed the order.
        var payment = await GetPaymentAsync(id);
        Assert.Equal(("liam", "shop-web"), (payment.RequestedBy, payment.ClientId));
    }

    [Fact]
    public async Task transient_failures_that_never_stop_end_as_a_dead_letter_after_the_backoff()
    {
        var widget = await AddProductAsync("WID-1", 10m);
        Simulator.FlakyFailures = 10;

        var (id, _) = await PlaceAsync(AnOrder("flaky-mia", (widget, 1)), failuresExpected: true);

        Assert.Equal(5, (await LedgerAsync(id)).ChargeAttempts); // first try + 4 retries with backoff
        Assert.Single(await ListAsync(), l => l.MessageType == typeof(PaymentRequestedEvent).FullName);
    }

    [Fact]
    public async Task replaying_an_unknown_dead_letter_is_a_404() =>
        await ProblemAsync(x => x.Post.Url($"{DeadLetters}/{Guid.NewGuid()}/replay"), 404);

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=-5", "limit")]
    [InlineData("?limit=501", "limit")]
    public async Task a_page_size_out_of_bounds_is_a_400_naming_it(string query, string field) =>
        Assert.Equal([field], (await ProblemAsync(x => x.Get.Url(DeadLetters + query), 400)).Errors!.Keys);

    private async Task<IReadOnlyList<DeadLetter>> ListAsync() =>
        (await (await Host.Scenario(x => x.Get.Url(DeadLetters))).ReadAsJsonAsync<List<DeadLetter>>())!;
}
