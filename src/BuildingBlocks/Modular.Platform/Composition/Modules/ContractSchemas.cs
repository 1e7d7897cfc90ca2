using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Modular.Platform.Composition.Modules;

/// <summary>
/// The integration contract of a module — every public type of its <c>.Contracts</c> assembly — as JSON Schema, and
/// the rules that tell an additive change from a breaking one (ADR 0020). Each module commits its schema beside its
/// contracts (<c>contract.schema.json</c>, written by <c>make contracts</c>); a test compares it with the code.
/// </summary>
public static partial class ContractSchemas
{
    public const string FileName = "contract.schema.json";
    public const string FixturesDirectory = "fixtures";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A module's Contracts assembly (<c>&lt;module assembly&gt;.Contracts</c>).</summary>
    public static Assembly ContractsOf(ModuleDefinition module) => Assembly.Load(module.Assembly.GetName().Name + ".Contracts");

    /// <summary>Every public type of the assembly, by full name: records as objects, enums as string enums.</summary>
    public static JsonObject Describe(Assembly contracts)
    {
        var definitions = new JsonObject();
        foreach (var type in contracts.GetExportedTypes().Where(t => t.IsEnum || t is { IsClass: true, IsAbstract: false }).OrderBy(t => t.FullName, StringComparer.Ordinal))
            definitions[type.FullName!] = SchemaOf(type);
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = contracts.GetName().Name,
            ["$defs"] = definitions,
        };
    }

    public static string Write(JsonObject schema) => schema.ToJsonString(Indented) + "\n";

    /// <summary>
    /// What breaks a consumer built against <paramref name="published"/> if <paramref name="current"/> replaces it:
    /// a type removed, a member removed or renamed, a member's type changed, a member made required, an enum value
    /// removed. Adding types, optional members and enum values is not breaking.
    /// </summary>
    public static IReadOnlyList<string> BreakingChanges(JsonObject published, JsonObject current)
    {
        var breaks = new List<string>();
        var now = current["$defs"]!.AsObject();
        foreach (var (name, node) in published["$defs"]!.AsObject())
        {
            if (now[name] is not JsonObject type)
            {
                breaks.Add($"{name} was removed: keep it, and publish its new version beside it");
                continue;
            }

            var before = node!.AsObject();
            if (before["x-enum-names"] is JsonArray values)
            {
                var kept = type["x-enum-names"]?.AsArray().Select(v => v!.GetValue<string>()).ToHashSet() ?? [];
                breaks.AddRange(values.Select(v => v!.GetValue<string>()).Where(v => !kept.Contains(v)).Select(v => $"{name} lost the value {v}"));
                continue;
            }

            var properties = type["properties"]?.AsObject();
            var required = type["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            var wasRequired = before["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (member, schema) in before["properties"]?.AsObject() ?? [])
            {
                if (properties?[member] is not { } changed) breaks.Add($"{name}.{member} was removed or renamed");
                else if (!JsonNode.DeepEquals(schema, changed))
                    breaks.Add($"{name}.{member} changed from {schema!.ToJsonString()} to {changed.ToJsonString()}");
            }

            breaks.AddRange(required.Where(r => !wasRequired.Contains(r)).Select(r => $"{name}.{r} became required (old messages lack it)"));
        }

        return breaks;
    }

    /// <summary>
    /// A message published in a new version is a new type named <c>&lt;Name&gt;V&lt;n&gt;</c> beside the old one, with an
    /// upcaster <c>public static &lt;Name&gt;V&lt;n&gt; From(&lt;previous version&gt; previous)</c>: what is missing.
    /// </summary>
    public static IReadOnlyList<string> MissingUpcasters(Assembly contracts)
    {
        var types = contracts.GetExportedTypes().ToDictionary(t => t.Name, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var type in types.Values)
        {
            if (PreviousVersionName(type.Name) is not { } previousName) continue;
            if (!types.TryGetValue(previousName, out var previous))
                missing.Add($"{type.FullName} is a new version of {previousName}, which is gone: keep the old version");
            else if (type.GetMethod("From", BindingFlags.Public | BindingFlags.Static, [previous]) is not { } from || from.ReturnType != type)
                missing.Add($"{type.FullName} has no upcaster: public static {type.Name} From({previous.Name} previous)");
        }

        return missing;
    }

    /// <summary>
    /// Each handler of a new version (<c>&lt;Name&gt;V&lt;n&gt;</c>) that does not also handle the version before it. The
    /// handler class keeps a method for the old version (calling the upcaster: <c>Handle(X old) =&gt; Handle(XV2.From(old))</c>)
    /// until nothing sends it: messages an older publisher sent, and those waiting in the class's own durable queue or
    /// among dead letters, are still handled — by the same class, so from the same queue.
    /// </summary>
    public static IReadOnlyList<string> OldVersionsNotHandled(IEnumerable<(Type Message, Type Handler)> handled)
    {
        var pairs = handled.ToHashSet();
        return pairs.Select(p => (p.Message, p.Handler, Previous: PreviousVersion(p.Message)))
            .Where(p => p.Previous is not null && !pairs.Contains((p.Previous, p.Handler)))
            .Select(p => $"{p.Handler.FullName} handles {p.Message.Name} but not {p.Previous!.Name}: add Handle({p.Previous.Name} old) => Handle({p.Message.Name}.From(old))")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static Type? PreviousVersion(Type message) =>
        PreviousVersionName(message.Name) is { } previousName ? message.Assembly.GetType($"{message.Namespace}.{previousName}") : null;

    /// <summary>The name of the version before <paramref name="name"/> (<c>XV3</c> → <c>XV2</c>, <c>XV2</c> → <c>X</c>); null when it is no new version.</summary>
    private static string? PreviousVersionName(string name)
    {
        var match = VersionedName().Match(name);
        if (!match.Success) return null;
        var n = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return n < 2 ? null : n == 2 ? match.Groups["name"].Value : $"{match.Groups["name"].Value}V{n - 1}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(?<name>.+)V(?<n>[0-9]+)$")]
    private static partial System.Text.RegularExpressions.Regex VersionedName();

    /// <summary>The messages of a Contracts assembly: its records named <c>*Event</c> (and their versions <c>*EventV&lt;n&gt;</c>).</summary>
    public static IEnumerable<Type> Messages(Assembly contracts) =>
        contracts.GetExportedTypes().Where(t => t.IsClass && System.Text.RegularExpressions.Regex.IsMatch(t.Name, "Event(V[0-9]+)?$"))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>
    /// A payload of <paramref name="message"/> as Wolverine sends it, with sample values: the fixture committed when a
    /// message is first published (<c>fixtures/&lt;Type&gt;.json</c>), which every later version of the code must still read
    /// and handle.
    /// </summary>
    public static string Fixture(Type message) =>
        JsonSerializer.Serialize(Sample(message, "message"), message, FixtureJson) + "\n";

    private static readonly JsonSerializerOptions FixtureJson = new(Wolverine.Runtime.Serialization.SystemTextJsonSerializer.DefaultOptions())
    {
        WriteIndented = true,
    };

    private static object? Sample(Type type, string name)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Sample(underlying, name);
        if (type == typeof(string))
            return name.Contains("currency", StringComparison.OrdinalIgnoreCase) ? "EUR" : name.Contains("sku", StringComparison.OrdinalIgnoreCase) ? "SAMPLE-1" : "sample";
        if (type == typeof(Guid)) return new Guid("00000000-0000-4000-8000-000000000001");
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        if (type == typeof(DateTime)) return new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        if (type == typeof(bool)) return true;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return Convert.ChangeType(1, type, CultureInfo.InvariantCulture);
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return Convert.ChangeType(10, type, CultureInfo.InvariantCulture);
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Sample(type.GetElementType()!, name), 0);
            return array;
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            list.Add(Sample(item, name));
            return list;
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType, p.Name!)).ToArray());
    }

    private static JsonObject SchemaOf(Type type)
    {
        if (type.IsEnum)
            return new JsonObject
            {
                ["type"] = "integer",
                ["enum"] = new JsonArray(Enum.GetValues(type).Cast<object>().Select(v => (JsonNode)Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray()),
                ["x-enum-names"] = new JsonArray(Enum.GetValues(type).Cast<object>()
                    .Select(v => (JsonNode)$"{v}={Convert.ToInt64(v, CultureInfo.InvariantCulture)}").ToArray()),
            };

        var nullability = new NullabilityInfoContext();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var required = constructor?.GetParameters().Where(p => !p.HasDefaultValue && nullability.Create(p).ReadState != NullabilityState.Nullable)
            .Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var properties = new JsonObject();
        var names = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null))
        {
            var name = WireName(property.Name);
            properties[name] = TypeOf(property.PropertyType, nullability.Create(property).ReadState == NullabilityState.Nullable);
            if (required.Contains(property.Name)) names.Add(name);
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray()),
        };
    }

    /// <summary>A member's name on the wire: Wolverine's JSON serializer writes camelCase.</summary>
    private static string WireName(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>The JSON Schema of a member's type; a contract holds plain data only.</summary>
    private static JsonObject TypeOf(Type type, bool nullable)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return TypeOf(underlying, nullable: true);
        JsonObject schema = type switch
        {
            _ when type == typeof(string) => new() { ["type"] = "string" },
            _ when type == typeof(Guid) => new() { ["type"] = "string", ["format"] = "uuid" },
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => new() { ["type"] = "string", ["format"] = "date-time" },
            _ when type == typeof(bool) => new() { ["type"] = "boolean" },
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => new() { ["type"] = "integer" },
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => new() { ["type"] = "number" },
            _ when type.IsEnum || type.Assembly.GetName().Name?.EndsWith(".Contracts", StringComparison.Ordinal) == true =>
                new() { ["$ref"] = $"#/$defs/{type.FullName}" },
            _ when type.IsArray => new() { ["type"] = "array", ["items"] = TypeOf(type.GetElementType()!, false) },
            _ when type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) =>
                new() { ["type"] = "array", ["items"] = TypeOf(item, false) },
            _ => throw new NotSupportedException($"{type.FullName} has no place in a contract: use plain data (text, numbers, ids, times, records, lists)."),
        };
        return nullable ? new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) } : schema;
    }
}
