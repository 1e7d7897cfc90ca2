using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Distribution;

/// <summary><c>Modular:Topology</c>: the map of deployments and how messages cross between them (ADR 0006).</summary>
public sealed class TopologyOptions
{
    /// <summary>Each deployment by name: the modules it runs and its address. None: one deployment runs everything.</summary>
    public Dictionary<string, DeploymentOptions> Deployments { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The deployment clients call; it forwards the others' routes and runs every module the map names nowhere.</summary>
    public string? Gateway { get; set; }

    /// <summary><c>RabbitMQ</c> or <c>PostgreSQL</c>, with several deployments.</summary>
    public string? Transport { get; set; }

    /// <summary>PostgreSQL queue polling interval.</summary>
    public int PollingMilliseconds { get; set; } = 50;

    /// <summary>RabbitMQ deliveries stored per inbox write.</summary>
    public int ReceiveBatchSize { get; set; } = 1;

    /// <summary>How often a process looks for messages of its modules left in another deployment's store (ADR 0028).</summary>
    public TimeSpan HandoverInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Durable</c>, or <c>Inline</c>: RabbitMQ messages handled without the inbox write.</summary>
    public RabbitMqListener Listener { get; set; } = RabbitMqListener.Durable;
}

/// <summary>How a RabbitMQ listener takes a message: through the inbox (durable), or handled on the consumer (inline).</summary>
public enum RabbitMqListener
{
    Durable,
    Inline,
}

/// <summary>One deployment of the map, <c>Modular:Topology:Deployments:&lt;name&gt;</c>.</summary>
public sealed class DeploymentOptions
{
    public ModuleNames Modules { get; set; } = [];

    /// <summary>Its service-discovery address; default <c>http://&lt;name&gt;:8080</c>.</summary>
    public string? Url { get; set; }
}
