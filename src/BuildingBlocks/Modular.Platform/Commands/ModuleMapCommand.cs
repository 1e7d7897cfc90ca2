using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Commands;

/// <summary>
/// <c>Modular.Host modules [text|json|mermaid] [--Modular:Topology:…=…]</c> prints the module map of the configured
/// topology without starting anything (no database needed); <c>modules doc &lt;file&gt;</c> writes the generated
/// module-map page (make module-map: docs/module-map.md), which a test keeps current.
/// </summary>
public static class ModuleMapCommand
{
    public const string Name = "modules";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Run(string[] args, IReadOnlyList<ModuleDefinition> available, IConfiguration configuration, TextWriter output)
    {
        var format = args.Skip(1).FirstOrDefault(a => !a.StartsWith('-')) ?? "text";
        if (format == "doc")
        {
            var path = args.Skip(2).FirstOrDefault(a => !a.StartsWith('-'));
            if (path is null) return Usage(output);
            File.WriteAllText(path, Document(available));
            output.WriteLine($"wrote {path}");
            return 0;
        }

        var map = ModuleMapView.Of(TopologyMap.Read(available, configuration), available, MessageEdges.Find(available));
        switch (format)
        {
            case "text": output.Write(Text(map)); return 0;
            case "json": output.WriteLine(JsonSerializer.Serialize(map, Json)); return 0;
            case "mermaid": output.Write(ModuleDiagram.Mermaid(map)); return 0;
            default: return Usage(output);
        }
    }

    public static string Text(ModuleMapView map)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Transport: {map.Transport}; gateway: {map.Gateway ?? "none"}\n\n");
        foreach (var d in map.Deployments)
            text.Append(CultureInfo.InvariantCulture, $"Deployment {d.Name,-10} at {d.Url,-28} runs {List(d.Modules)}\n");
        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"{"Module",-10} {"Deployment",-12} {"Schema",-10} Publishes / Handles\n");
        foreach (var m in map.Modules)
        {
            text.Append(CultureInfo.InvariantCulture, $"{m.Name,-10} {m.Deployment,-12} {m.Schema,-10} publishes {List(m.Publishes)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{"",-34} handles   {List(m.Handles)}\n");
        }

        text.Append("\nMessage edges:\n");
        foreach (var e in map.Edges)
            text.Append(CultureInfo.InvariantCulture, $"  {e.From,-10} -> {e.To,-10} {e.Message,-24} {(e.OverTransport ? $"over {map.Transport}" : "in-process")}\n");
        return text.ToString();
    }

    /// <summary>The module-map page: the modules, then the diagram under the monolith and under each extraction.</summary>
    public static string Document(IReadOnlyList<ModuleDefinition> available)
    {
        var edges = MessageEdges.Find(available);
        var page = new StringBuilder();
        page.Append("# Module map\n\n");
        page.Append("Generated from the modules' handlers by `make module-map` (`Modular.Host modules doc docs/module-map.md`);\n");
        page.Append("a test fails when this page no longer matches the code. `Modular.Host modules mermaid` draws any other topology\n");
        page.Append("(pass its `--Modular:Topology:…` settings), and `GET /api/admin/modules` shows the running one.\n\n");
        page.Append("Solid arrows are in-process calls through durable local queues; **dotted red arrows are network hops**:\n");
        page.Append("the messages that cross a process over the transport once the map places the two modules apart.\n\n");

        var monolith = ModuleMapView.Of(TopologyMap.Read(available, new ConfigurationBuilder().Build()), available, edges);
        page.Append("| Module | Schema | Routes | Publishes | Handles |\n|---|---|---|---|---|\n");
        foreach (var m in monolith.Modules)
            page.Append(CultureInfo.InvariantCulture, $"| {m.Name} | `{m.Schema}` | `{m.RoutePrefix}/…` | {List(m.Publishes)} | {List(m.Handles)} |\n");

        Section(page, "One deployment (the monolith)", monolith);
        foreach (var module in available)
        {
            var rest = available.Where(m => m != module).ToList();
            var deployments = new Dictionary<string, IEnumerable<ModuleDefinition>> { ["core"] = rest, [module.Name.ToLowerInvariant()] = [module] };
            Section(page, $"{module.Name} extracted (RabbitMQ, gateway in core)", Describe(available, edges, deployments, "core"));
        }

        var apart = available.ToDictionary(m => m.Name.ToLowerInvariant(), m => (IEnumerable<ModuleDefinition>)[m]);
        Section(page, "Every module in its own deployment", Describe(available, edges, apart, available[0].Name.ToLowerInvariant()));
        return page.ToString();
    }

    private static ModuleMapView Describe(IReadOnlyList<ModuleDefinition> available, IReadOnlyList<MessageEdge> edges,
        Dictionary<string, IEnumerable<ModuleDefinition>> deployments, string gateway)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{TopologyMap.TopologyKey}:Transport"] = nameof(TransportKind.RabbitMQ),
            [$"{TopologyMap.TopologyKey}:Gateway"] = gateway,
            [TopologyMap.DeploymentKey] = gateway,
        };
        foreach (var (name, modules) in deployments)
            settings[$"{TopologyMap.TopologyKey}:Deployments:{name}:Modules"] = string.Join(',', modules.Select(m => m.Name));
        var map = TopologyMap.Read(available, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return ModuleMapView.Of(map, available, edges);
    }

    private static void Section(StringBuilder page, string title, ModuleMapView map)
    {
        var hops = map.Edges.Count(e => e.OverTransport);
        page.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n{hops} of {map.Edges.Count} message edges are network hops.\n\n");
        page.Append("```mermaid\n").Append(ModuleDiagram.Mermaid(map)).Append("```\n");
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "—" : string.Join(", ", names);

    private static int Usage(TextWriter output)
    {
        output.WriteLine("usage: modules [text|json|mermaid] [--Modular:Topology:...=...]   |   modules doc <file>");
        return 1;
    }
}
