namespace Modular.Platform;

/// <summary>
/// Bench-only: lets <c>bench/budget.sh</c> switch one framework component off at a time, to itemize what each costs per
/// request (docs/benchmarks.md, "Per-request budget"). Compiled in only by <c>-p:BenchSwitches=true</c>
/// (<c>BENCH_SWITCHES=true eng/publish.sh</c>); in every other build each switch is the constant <c>false</c>, so no
/// shipped binary has a setting that turns security or error handling off. Components with a real setting (metrics,
/// JSON logs, tracing, rate limits, connection settings) are switched by that setting instead.
/// </summary>
internal static class BenchSwitches
{
#if BENCH_SWITCHES
    private static readonly HashSet<string> Switched = (Environment.GetEnvironmentVariable("MODULAR_BENCH_OFF") ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <c>MODULAR_BENCH_OFF</c> (a comma-separated list) names <paramref name="component"/>.</summary>
    public static bool Off(string component) => Switched.Contains(component);
#else
    public static bool Off(string component) => false;
#endif

    public const string Authentication = "auth";
    public const string TokenCache = "token-cache";
    public const string CallerStripping = "caller-stripping";
    public const string InputGuard = "input-guard";
    public const string WriteRequests = "write-requests";
    public const string Problems = "problems";
    public const string HandlerTags = "handler-tags";
    public const string Fences = "fences";
    public const string Ledger = "ledger";
}
