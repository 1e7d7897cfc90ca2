using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Http;
using Wolverine.Http;

namespace Modular.Modules.Payments;

/// <summary>The simulated provider's rules, readable and changeable at run time (demos, tests, failure drills).</summary>
public sealed record SimulatorRules(
    string DeclineCustomersStartingWith,
    decimal DeclineAmountsAbove,
    string FlakyCustomersStartingWith,
    int FlakyFailures,
    bool MerchantMisconfigured,
    int LatencyMilliseconds)
{
    public static SimulatorRules From(SimulatorSettings s) => new(s.DeclineCustomersStartingWith, s.DeclineAmountsAbove,
        s.FlakyCustomersStartingWith, s.FlakyFailures, s.MerchantMisconfigured, s.LatencyMilliseconds);
}

public static class GetSimulatorRulesEndpoint
{
    [WolverineGet("/api/payments/simulator")]
    public static SimulatorRules Get(SimulatorSettings settings) => SimulatorRules.From(settings);
}

public static class ChangeSimulatorRulesEndpoint
{
    public static ProblemDetails Validate(SimulatorRules rules) => new FieldErrors()
        .When(string.IsNullOrEmpty(rules.DeclineCustomersStartingWith), "declineCustomersStartingWith", "A prefix is required.")
        .When(string.IsNullOrEmpty(rules.FlakyCustomersStartingWith), "flakyCustomersStartingWith", "A prefix is required.")
        .When(rules.DeclineAmountsAbove <= 0, "declineAmountsAbove", "The limit is greater than zero.")
        .When(rules.FlakyFailures is < 0 or > 10, "flakyFailures", "Between 0 and 10 failures.")
        .When(rules.LatencyMilliseconds is < 0 or > 10_000, "latencyMilliseconds", "Between 0 and 10000 ms.")
        .ToProblem();

    [WolverinePut("/api/payments/simulator")]
    public static SimulatorRules Put(SimulatorRules rules, SimulatorSettings settings)
    {
        settings.Apply(rules);
        return SimulatorRules.From(settings);
    }
}

public static class GetSimulatorLedgerEndpoint
{
    /// <summary>Charge attempts, captured amount and refund for one order, as the simulated provider saw them.</summary>
    [WolverineGet("/api/payments/simulator/ledger/{orderId}")]
    public static LedgerEntry Get(Guid orderId, SimulatedPaymentProvider provider) => provider.LedgerFor(orderId.ToString());
}
