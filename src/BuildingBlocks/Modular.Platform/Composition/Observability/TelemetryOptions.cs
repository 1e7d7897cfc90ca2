namespace Modular.Platform.Composition.Observability;

/// <summary><c>Modular:Telemetry</c>: traces (ADR 0009).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Unset: traces are on when an OTLP endpoint is set.</summary>
    public bool? Enabled { get; set; }
}
