using System.Collections.Concurrent;

namespace Modular.Modules.Payments;

/// <summary>
/// The built-in provider: deterministic outcomes chosen by rules, so tests and demos can drive every path.
/// Initial values come from configuration <c>Payments:Simulator</c>; <c>PUT /api/payments/simulator</c> changes them.
/// </summary>
public sealed class SimulatorSettings
{
    /// <summary>Customers whose id starts with this are declined ("card_declined").</summary>
    public string DeclineCustomersStartingWith { get; set; } = "decline-";

    /// <summary>Amounts above this are declined ("amount_too_large").</summary>
    public decimal DeclineAmountsAbove { get; set; } = 10_000m;

    /// <summary>Customers whose id starts with this see <see cref="FlakyFailures"/> transient failures per payment first.</summary>
    public string FlakyCustomersStartingWith { get; set; } = "flaky-";

    public int FlakyFailures { get; set; } = 2;

    /// <summary>While true, every call is rejected permanently (think: revoked merchant credentials).</summary>
    public bool MerchantMisconfigured { get; set; }

    /// <summary>Added to every call.</summary>
    public int LatencyMilliseconds { get; set; }

    public void Apply(SimulatorRules rules)
    {
        DeclineCustomersStartingWith = rules.DeclineCustomersStartingWith;
        DeclineAmountsAbove = rules.DeclineAmountsAbove;
        FlakyCustomersStartingWith = rules.FlakyCustomersStartingWith;
        FlakyFailures = rules.FlakyFailures;
        MerchantMisconfigured = rules.MerchantMisconfigured;
        LatencyMilliseconds = rules.LatencyMilliseconds;
    }
}

/// <summary>The simulator's record for one key (an order id).</summary>
public sealed record LedgerEntry(string Key, int ChargeAttempts, decimal? CapturedAmount, bool Refunded);

public sealed class SimulatedPaymentProvider(SimulatorSettings settings) : IPaymentProvider
{
    private readonly ConcurrentDictionary<string, ChargeResult> _charges = new();
    private readonly ConcurrentDictionary<string, (decimal Amount, string Reference)> _captured = new();
    private readonly ConcurrentDictionary<string, bool> _refunded = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    /// <summary>What happened under one key: calls made, money captured, money given back.</summary>
    public LedgerEntry LedgerFor(string key) => new(key, _attempts.GetValueOrDefault(key),
        _captured.TryGetValue(key, out var capture) ? capture.Amount : null, _refunded.ContainsKey(key));

    public async Task<ChargeResult> ChargeAsync(string key, string customerId, decimal amount, string currency, CancellationToken ct)
    {
        var attempt = _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        await SimulateLatencyAsync(ct);
        if (settings.MerchantMisconfigured)
            throw new PaymentProviderRejectedException("Merchant account misconfigured: charges are refused.");
        if (_charges.TryGetValue(key, out var earlier)) return earlier;
        if (customerId.StartsWith(settings.FlakyCustomersStartingWith, StringComparison.Ordinal) && attempt <= settings.FlakyFailures)
            throw new PaymentProviderUnavailableException($"Provider timed out (attempt {attempt}).");

        var reference = $"sim_{Guid.NewGuid():N}"[..20];
        var result = customerId.StartsWith(settings.DeclineCustomersStartingWith, StringComparison.Ordinal)
            ? new ChargeResult(false, reference, "card_declined")
            : amount > settings.DeclineAmountsAbove
                ? new ChargeResult(false, reference, "amount_too_large")
                : new ChargeResult(true, reference, null);

        result = _charges.GetOrAdd(key, result);
        if (result.Captured) _captured.TryAdd(key, (amount, result.Reference));
        return result;
    }

    public async Task<RefundResult> RefundAsync(string key, CancellationToken ct)
    {
        await SimulateLatencyAsync(ct);
        if (settings.MerchantMisconfigured)
            throw new PaymentProviderRejectedException("Merchant account misconfigured: refunds are refused.");
        if (!_captured.TryGetValue(key, out var capture)) return new RefundResult(false, null, 0m);

        _refunded.TryAdd(key, true);
        return new RefundResult(true, capture.Reference, capture.Amount);
    }

    private Task SimulateLatencyAsync(CancellationToken ct) =>
        settings.LatencyMilliseconds > 0 ? Task.Delay(settings.LatencyMilliseconds, ct) : Task.CompletedTask;
}
