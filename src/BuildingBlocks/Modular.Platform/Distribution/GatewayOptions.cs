namespace Modular.Platform.Distribution;

/// <summary><c>Modular:Gateway</c>: the gateway's timings.</summary>
public sealed class GatewayOptions
{
    /// <summary>How long a forwarded request may stay silent before the client gets a 504.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting to an instance may take before it counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often each instance's <c>/health/ready</c> is probed.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an instance stays out after a failed call before it gets traffic again.</summary>
    public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);
}
