using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Composition.Http;
using Wolverine.Http;

namespace Modular.Modules.Payments;

/// <summary>The simulated provider's rules, readable and changeable at run time (demos, tests, failure drills).</summary>
public sealed record SimulatorRules(
    [property: MinLength(1)] string DeclineCustomersStartingWith,
    [property: Range(typeof(decimal), "0", SimulatorRules.MaxDeclineAmountText, MinimumIsExclusive = true)] decimal DeclineAmountsAbove,
    [property: MinLength(1)] string FlakyCustomersStartingWith,
    [property: Range(0, SimulatorRules.MaxFlakyFailures)] int FlakyFailures,
    bool MerchantMisconfigured,
    [property: Range(0, SimulatorRules.MaxLatencyMilliseconds)] int LatencyMilliseconds)
{
    public const string MaxDeclineAmountText = "1000000000";
    public const int MaxFlakyFailures = 10;
    public const int MaxLatencyMilliseconds = 10_000;

    /// <summary>The body Swagger UI offers: the simulator's defaults.</summary>
    public static SimulatorRules Example => From(new SimulatorSettings());

    public static SimulatorRules From(SimulatorSettings s) => new(s.DeclineCustomersStartingWith, s.DeclineAmountsAbove,
        s.FlakyCustomersStartingWith, s.FlakyFailures, s.MerchantMisconfigured, s.LatencyMilliseconds);
}

public static class GetSimulatorRulesEndpoint
{
    [WolverineGet("/api/payments/simulator")]
    [Authorize(PaymentsPermissions.Simulator)]
    public static SimulatorRules Get(SimulatorSettings settings) => SimulatorRules.From(settings);
}

public static class ChangeSimulatorRulesEndpoint
{
    public static ProblemDetails Validate(SimulatorRules rules) => new FieldErrors()
        .When(string.IsNullOrEmpty(rules.DeclineCustomersStartingWith), "declineCustomersStartingWith", "A prefix is required.")
        .When(string.IsNullOrEmpty(rules.FlakyCustomersStartingWith), "flakyCustomersStartingWith", "A prefix is required.")
        .When(rules.DeclineAmountsAbove <= 0 || rules.DeclineAmountsAbove > decimal.Parse(SimulatorRules.MaxDeclineAmountText, CultureInfo.InvariantCulture),
            "declineAmountsAbove", $"The limit is greater than zero and at most {SimulatorRules.MaxDeclineAmountText}.")
        .When(rules.FlakyFailures is < 0 or > SimulatorRules.MaxFlakyFailures, "flakyFailures",
            $"Between 0 and {SimulatorRules.MaxFlakyFailures} failures.")
        .When(rules.LatencyMilliseconds is < 0 or > SimulatorRules.MaxLatencyMilliseconds, "latencyMilliseconds",
            $"Between 0 and {SimulatorRules.MaxLatencyMilliseconds} ms.")
        .ToProblem();

    [WolverinePut("/api/payments/simulator")]
    [Authorize(PaymentsPermissions.Simulator)]
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
    [Authorize(PaymentsPermissions.Simulator)]
    public static LedgerEntry Get(Guid orderId, SimulatedPaymentProvider provider) => provider.LedgerFor(orderId.ToString());
}
