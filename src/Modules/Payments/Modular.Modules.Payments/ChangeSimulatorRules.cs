using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Payments;

public static class ChangeSimulatorRulesEndpoint
{
    public static ProblemDetails Validate(SimulatorRules rules) => new FieldErrors()
        .When(string.IsNullOrEmpty(rules.DeclineCustomersStartingWith), "declineCustomersStartingWith", "A prefix is required.")
        .When(string.IsNullOrEmpty(rules.FlakyCustomersStartingWith), "flakyCustomersStartingWith", "A prefix is required.")
        .When(rules.DeclineCustomersStartingWith?.Length > SimulatorRules.MaxPrefixLength, "declineCustomersStartingWith",
            $"A prefix has at most {SimulatorRules.MaxPrefixLength} characters.")
        .When(rules.FlakyCustomersStartingWith?.Length > SimulatorRules.MaxPrefixLength, "flakyCustomersStartingWith",
            $"A prefix has at most {SimulatorRules.MaxPrefixLength} characters.")
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
