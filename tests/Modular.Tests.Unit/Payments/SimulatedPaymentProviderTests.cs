using Modular.Modules.Payments;

namespace Modular.Tests.Unit.Payments;

public sealed class SimulatedPaymentProviderTests
{
    private readonly SimulatorSettings _settings = new();
    private SimulatedPaymentProvider Provider => _provider ??= new SimulatedPaymentProvider(_settings);
    private SimulatedPaymentProvider? _provider;

    [Fact]
    public async Task charging_twice_under_one_key_captures_once_and_returns_the_first_outcome()
    {
        var first = await Provider.ChargeAsync("k", "alice", 10m, "EUR", default);
        var second = await Provider.ChargeAsync("k", "alice", 10m, "EUR", default);

        Assert.True(first.Captured);
        Assert.Equal(first, second);
        Assert.Equal(10m, Provider.LedgerFor("k").CapturedAmount);
    }

    [Theory]
    [InlineData("decline-bob", 10, "card_declined")]
    [InlineData("alice", 10_000.01, "amount_too_large")]
    public async Task declines_by_rule(string customer, decimal amount, string reason)
    {
        var result = await Provider.ChargeAsync("k", customer, amount, "EUR", default);

        Assert.False(result.Captured);
        Assert.Equal(reason, result.DeclineReason);
        Assert.Null(Provider.LedgerFor("k").CapturedAmount);
    }

    [Fact]
    public async Task a_flaky_customer_times_out_the_configured_number_of_times_then_succeeds()
    {
        _settings.FlakyFailures = 2;

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => Provider.ChargeAsync("k", "flaky-x", 1m, "EUR", default));
        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => Provider.ChargeAsync("k", "flaky-x", 1m, "EUR", default));
        Assert.True((await Provider.ChargeAsync("k", "flaky-x", 1m, "EUR", default)).Captured);
        Assert.Equal(3, Provider.LedgerFor("k").ChargeAttempts);
    }

    [Fact]
    public async Task a_misconfigured_merchant_is_rejected_permanently() =>
        await Assert.ThrowsAsync<PaymentProviderRejectedException>(() =>
        {
            _settings.MerchantMisconfigured = true;
            return Provider.ChargeAsync("k", "alice", 1m, "EUR", default);
        });

    [Fact]
    public async Task refunds_only_what_was_captured()
    {
        Assert.False((await Provider.RefundAsync("never-charged", default)).Refunded);

        await Provider.ChargeAsync("k", "alice", 7m, "EUR", default);
        var refund = await Provider.RefundAsync("k", default);

        Assert.True(refund.Refunded);
        Assert.Equal(7m, refund.Amount);
        Assert.True(Provider.LedgerFor("k").Refunded);
    }
}
