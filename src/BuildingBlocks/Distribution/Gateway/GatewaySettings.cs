namespace Modular.BuildingBlocks.Distribution.Gateway;

/// <summary>The gateway's timings, from <c>Modular:Gateway</c>.</summary>
public sealed record GatewaySettings
{
    public const string ConfigurationKey = "Modular:Gateway";

    /// <summary>How long a forwarded request may stay silent before the client gets a 504.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting to an instance may take before it counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often each instance's <c>/health/ready</c> is probed.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an instance stays out after a failed call before it gets traffic again.</summary>
    public TimeSpan ReactivationPeriod { get; init; } = TimeSpan.FromSeconds(10);
}
