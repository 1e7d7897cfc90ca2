namespace Modular.Platform.Composition.Health;

/// <summary><c>Modular:Shutdown</c>: how a process stops on SIGTERM without refusing what it was sent (<see cref="GracefulStop"/>).</summary>
public sealed class ShutdownOptions
{
    /// <summary>How long the process keeps serving, answering <c>/health/ready</c> 503, before it stops taking requests.</summary>
    public TimeSpan Drain { get; set; } = TimeSpan.Zero;

    /// <summary>How long, after that, requests and message handlers in flight may take to finish.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
