using System.Text.Json;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Modular.Tests.EndToEnd.Deployment;

/// <summary>Reads deployment files (compose, Kubernetes) as plain maps, lists and strings.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<object, object>> Documents(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
            if (Deserializer.Deserialize<Dictionary<object, object>?>(parser) is { } document) documents.Add(document);
        return documents;
    }

    public static Dictionary<object, object> Map(this object node, string key) =>
        (Dictionary<object, object>)((Dictionary<object, object>)node)[key];

    public static List<object> List(this object node, string key) => (List<object>)((Dictionary<object, object>)node)[key];

    public static string? Text(this object node, string key) =>
        ((Dictionary<object, object>)node).TryGetValue(key, out var value) ? value as string : null;

    public static Dictionary<object, object> At(this object node, params string[] path) =>
        path.Aggregate((Dictionary<object, object>)node, (map, key) => map.Map(key));
}

/// <summary>The Host's <c>modules json</c> command: how the product itself reads a deployment's settings.</summary>
internal static class ModuleMapOf
{
    /// <summary>Environment-variable settings (<c>A__B=v</c>) as the map the process would see; fails if it refuses them.</summary>
    public static async Task<JsonElement> SettingsAsync(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var result = await Tool.RunAsync("dotnet",
            [HostProcess.HostAssembly, "modules", "json", .. environment.Select(e => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}")]);
        result.EnsureSuccess("modules json");
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }
}
