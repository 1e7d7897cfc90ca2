namespace Modular.Platform.Distribution.Topology;

/// <summary>How messages cross between deployments.</summary>
public enum TransportKind
{
    /// <summary>Nothing crosses: one deployment hosts every module.</summary>
    Local,
    RabbitMQ,
    /// <summary>Wolverine's queues in PostgreSQL tables: no broker to run.</summary>
    PostgreSQL,
}
