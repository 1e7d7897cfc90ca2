using Modular.Host;
using Modular.Platform.Commands;
using Modular.Platform.Distribution.Topology;
using Modular.Tests.Support;

namespace Modular.Tests.Architecture;

/// <summary>The generated module map in docs/ describes the code as it is.</summary>
public sealed class ModuleMapDocumentTests
{
    [Fact]
    public void docs_module_map_is_what_make_module_map_generates_today()
    {
        var onDisk = File.ReadAllText(Path.Combine(Tool.RepositoryRoot(), "docs", "module-map.md")).ReplaceLineEndings("\n");

        Assert.True(onDisk == ModuleMapCommand.Document(HostedModules.All),
            "docs/module-map.md is stale: the modules' messages or the diagram changed. Run `make module-map` and commit the result.");
    }

    [Fact]
    public void the_diagram_marks_exactly_the_edges_that_cross_deployments_as_network_hops()
    {
        var document = ModuleMapCommand.Document(HostedModules.All);
        var extracted = document[document.IndexOf("## Ordering extracted", StringComparison.Ordinal)..];
        extracted = extracted[..extracted.IndexOf("\n## ", 1, StringComparison.Ordinal)];

        Assert.Contains("8 of 8 message edges are network hops", extracted, StringComparison.Ordinal);
        Assert.Contains("0 of 8 message edges are network hops", document, StringComparison.Ordinal);
        Assert.Contains("ordering -.->|\"OrderCancelledEvent, PaymentRequestedEvent<br/><i>over RabbitMQ</i>\"| payments", extracted, StringComparison.Ordinal);
    }
}

/// <summary>The README's module table says what the code does: the events each module publishes and handles.</summary>
public sealed class ReadmeModuleTableTests
{
    [Fact]
    public void each_modules_row_lists_the_events_of_its_contracts_and_the_other_modules_events_its_handlers_take()
    {
        var readme = File.ReadAllLines(Path.Combine(Tool.RepositoryRoot(), "README.md"));
        var start = Array.IndexOf(readme, "## The modules");
        var rows = readme.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| module", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1], cells => (Publishes: Names(cells[4]), Handles: Names(cells[5])));

        Assert.Equal(HostedModules.All.Select(m => m.Name).Order(), rows.Keys.Order());
        foreach (var module in Modules.All)
        {
            var events = module.Contracts.Loaded().Where(t => t.Name.EndsWith("Event", StringComparison.Ordinal)).Select(t => t.Name);
            var ownContracts = module.Contracts.Loaded().ToHashSet();
            var handled = MessageEdges.HandledMessageTypes(HostedModules.All.Single(m => m.Name == module.Name).Assembly)
                .Select(h => h.Message)
                .Where(t => !ownContracts.Contains(t) && t.Namespace?.EndsWith(".Contracts", StringComparison.Ordinal) == true)
                .Select(t => t.Name);

            Assert.Equal(events.Order(), rows[module.Name].Publishes.Order());
            Assert.Equal(handled.Distinct().Order(), rows[module.Name].Handles.Order());
        }
    }

    private static IEnumerable<string> Names(string cell) =>
        cell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.Trim('`'))
            .Where(name => name != "—");
}
