namespace Modular.Platform.Composition.Observability;

/// <summary><c>Modular:Logging</c>: how console lines are written (ADR 0019).</summary>
public sealed class LoggingOptions
{
    /// <summary><c>simple</c> (text) or <c>json</c> (one object per line, with trace id, module and deployment).</summary>
    public string Format { get; set; } = "simple";
}
