using System.Reflection;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Health;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Composition.Persistence;
using Modular.Platform.Composition.Security;
using Wolverine;

using MetricsOptions = Modular.Platform.Composition.Observability.MetricsOptions;

namespace Modular.Platform.Distribution;

/// <summary>
/// Every setting of the <c>Modular</c> configuration section, typed and with its default. <see cref="Read"/> binds it
/// once at start and each part goes to what it configures (Composition's parts know nothing of the rest). A key the
/// section does not have, or a value of the wrong kind, stops the process with one line: a typo is not silently
/// ignored. docs/configuration.md lists exactly these keys (<c>ConfigurationTableTests</c>).
/// </summary>
public sealed class ModularOptions
{
    public const string Section = "Modular";
    public const int DefaultParallelism = 16;

    /// <summary>Without a topology map: the modules this process runs (absent: all).</summary>
    public ModuleNames? Modules { get; set; }

    /// <summary>Which deployment of the map this process is.</summary>
    public string? Deployment { get; set; }

    public TopologyOptions Topology { get; } = new();

    public GatewayOptions Gateway { get; } = new();

    public RateLimitOptions RateLimits { get; } = new();

    /// <summary>The largest request body (bytes) an operation accepts unless it declares more with
    /// <c>[RequestSizeLimit]</c>; also the largest gRPC message.</summary>
    public long MaxRequestBodySize { get; set; } = RequestLimits.DefaultMaxBodySize;

    /// <summary>Whether Swagger UI is served at /swagger (the OpenAPI document is, either way).</summary>
    public bool SwaggerUi { get; set; } = true;

    /// <summary>The gRPC listener (HTTP/2 without TLS); unset: none.</summary>
    public string? GrpcUrl { get; set; }

    /// <summary>The operators' listener (<c>/ops</c>, the admin API, <c>/metrics</c>); unset: those share the deployment's URLs.</summary>
    public string? ManagementUrl { get; set; }

    /// <summary><c>Static</c>: handler code generated at build time (the image's); <c>Dynamic</c>: compiled at start.</summary>
    public TypeLoadMode CodeGeneration { get; set; } = TypeLoadMode.Dynamic;

    public DurabilityMode DurabilityMode { get; set; } = DurabilityMode.Balanced;

    /// <summary>Wolverine's own <c>DurabilitySettings</c>, any of them, bound as they are.</summary>
    public IConfigurationSection? Durability { get; set; }

    /// <summary>Messages each queue handles at once, local or a transport queue this deployment listens to.</summary>
    public int? QueueParallelism { get; set; }

    /// <summary>The older name of <see cref="QueueParallelism"/>, still read.</summary>
    public int? LocalQueueParallelism { get; set; }

    public int Parallelism => QueueParallelism ?? LocalQueueParallelism ?? DefaultParallelism;

    public MetricsOptions Metrics { get; } = new();

    public LoggingOptions Logging { get; } = new();

    public TelemetryOptions Telemetry { get; } = new();

    public AuthenticationOptions Authentication { get; } = new();

    public DatabaseOptions Database { get; } = new();

    public ShutdownOptions Shutdown { get; } = new();

    public static ModularOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        // Leaves only: some providers give a section holding keys a value of its own ("").
        var entries = section.AsEnumerable(makePathsRelative: true).Where(entry => entry.Value is not null).Select(entry => entry.Key).ToList();
        var unknown = entries
            .Where(key => !entries.Any(other => other.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
            .Where(key => !Knows(typeof(ModularOptions), key.Split(':')))
            .Select(key => $"{Section}:{key}")
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (unknown.Count > 0)
            throw new ModularConfigurationException(
                $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a setting" : "are not settings")}; the settings are listed in docs/configuration.md.");

        var options = new ModularOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ModularConfigurationException(e.Message); // "Failed to convert configuration value 'x' at 'Modular:…' to type '…'."
        }

        return options;
    }

    /// <summary>Every key of the section, a dictionary's keys as <c>&lt;key&gt;</c>, a section passed on whole as <c>*</c>.</summary>
    public static IReadOnlyList<string> Keys() => KeysOf(typeof(ModularOptions), Section).ToList();

    private static IEnumerable<string> KeysOf(Type type, string prefix)
    {
        foreach (var property in Settings(type))
        {
            var key = $"{prefix}:{property.Name}";
            var kind = property.PropertyType;
            if (kind == typeof(IConfigurationSection)) yield return key + ":*";
            else if (DictionaryValue(kind) is { } value) foreach (var inner in KeysOf(value, key + ":<key>")) yield return inner;
            else if (IsLeaf(kind)) yield return key;
            else foreach (var inner in KeysOf(kind, key)) yield return inner;
        }
    }

    private static bool Knows(Type type, string[] path)
    {
        if (path.Length == 0) return false;
        var property = Settings(type).FirstOrDefault(p => string.Equals(p.Name, path[0], StringComparison.OrdinalIgnoreCase));
        if (property is null) return false;
        var kind = property.PropertyType;
        if (kind == typeof(IConfigurationSection)) return true;
        if (kind == typeof(ModuleNames)) return path.Length == 1 || (path.Length == 2 && int.TryParse(path[1], out _));
        if (DictionaryValue(kind) is { } value) return path.Length > 2 && Knows(value, path[2..]);
        return IsLeaf(kind) ? path.Length == 1 : Knows(kind, path[1..]);
    }

    private static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || !IsLeaf(p.PropertyType));

    private static bool IsLeaf(Type type) =>
        type == typeof(string) || type == typeof(ModuleNames) || type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan)
        || (Nullable.GetUnderlyingType(type) is { } inner && IsLeaf(inner));

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;
}
