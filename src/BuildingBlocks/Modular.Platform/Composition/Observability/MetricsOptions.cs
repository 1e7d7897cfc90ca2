namespace Modular.Platform.Composition.Observability;

/// <summary><c>Modular:Metrics</c>: Prometheus metrics at <c>/metrics</c> (ADR 0018).</summary>
public sealed class MetricsOptions
{
    public bool Enabled { get; set; }

    /// <summary>How often the backlog gauges are sampled, in the background.</summary>
    public int BacklogSeconds { get; set; } = 5;
}
