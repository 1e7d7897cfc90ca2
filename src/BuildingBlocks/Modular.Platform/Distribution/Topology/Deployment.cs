using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Distribution.Topology;

/// <summary>
/// One deployable unit: a process (or several instances of it) hosting these modules. <paramref name="Url"/> is
/// its service-discovery address: the gateway resolves its host name through <c>Services:&lt;host&gt;</c>
/// (one entry per instance) and, when that section is absent, through DNS as it stands.
/// </summary>
public sealed record Deployment(string Name, IReadOnlyList<ModuleDefinition> Modules, Uri Url)
{
    /// <summary>The port the container image listens on.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The port the container image serves gRPC on (HTTP/2 only: <c>Modular:GrpcUrl</c>).</summary>
    public const int DefaultGrpcPort = 8081;

    /// <summary>
    /// Its gRPC address, the named endpoint <c>grpc</c> of the same host: instances from <c>Services:&lt;host&gt;:grpc</c>,
    /// else DNS with <see cref="DefaultGrpcPort"/>.
    /// </summary>
    public Uri GrpcUrl => new($"http://_grpc.{Url.Host}:{DefaultGrpcPort}");

    /// <summary>Whether this deployment runs the module (not just has it in its binary: see <c>HostedModules</c>).</summary>
    public bool Runs(ModuleDefinition module) => Modules.Contains(module);
}
