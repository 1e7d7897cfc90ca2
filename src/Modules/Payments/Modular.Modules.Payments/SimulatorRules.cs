using System.ComponentModel.DataAnnotations;

namespace Modular.Modules.Payments;

/// <summary>The simulated provider's rules, readable and changeable at run time (demos, tests, failure drills).</summary>
public sealed record SimulatorRules(
    [property: StringLength(SimulatorRules.MaxPrefixLength, MinimumLength = 1)] string DeclineCustomersStartingWith,
    [property: Range(typeof(decimal), "0", SimulatorRules.MaxDeclineAmountText, MinimumIsExclusive = true)] decimal DeclineAmountsAbove,
    [property: StringLength(SimulatorRules.MaxPrefixLength, MinimumLength = 1)] string FlakyCustomersStartingWith,
    [property: Range(0, SimulatorRules.MaxFlakyFailures)] int FlakyFailures,
    bool MerchantMisconfigured,
    [property: Range(0, SimulatorRules.MaxLatencyMilliseconds)] int LatencyMilliseconds)
{
    public const string MaxDeclineAmountText = "1000000000";
    public const int MaxFlakyFailures = 10;
    public const int MaxPrefixLength = 100; // a customer id's length: a longer prefix could match no one
    public const int MaxLatencyMilliseconds = 10_000;

    /// <summary>The body Swagger UI offers: the simulator's defaults.</summary>
    public static SimulatorRules Example => From(new SimulatorSettings());

    public static SimulatorRules From(SimulatorSettings s) => new(s.DeclineCustomersStartingWith, s.DeclineAmountsAbove,
        s.FlakyCustomersStartingWith, s.FlakyFailures, s.MerchantMisconfigured, s.LatencyMilliseconds);
}
