using Microsoft.Extensions.Configuration;
using Modular.Modules.Catalog;
using Modular.Modules.Ordering;
using Modular.Modules.Payments;
using Modular.Platform.Commands;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution.Topology;

namespace Modular.Tests.Unit.Platform;

public sealed class ModuleMapCommandTests
{
    private static readonly ModuleDefinition[] Modules = [new CatalogModule(), new OrderingModule(), new PaymentsModule()];

    private static readonly Dictionary<string, string?> OrderingExtracted = new()
    {
        ["Modular:Topology:Transport"] = "PostgreSQL",
        ["Modular:Topology:Gateway"] = "core",
        ["Modular:Deployment"] = "core",
        ["Modular:Topology:Deployments:core:Modules"] = "Catalog,Payments",
        ["Modular:Topology:Deployments:ordering:Modules"] = "Ordering",
    };

    [Fact]
    public void text_lists_each_module_where_it_runs_and_each_edge_in_process_or_over_the_transport()
    {
        var (exit, output) = Run(["modules"], OrderingExtracted);

        Assert.Equal(0, exit);
        Assert.Contains("Transport: PostgreSQL; gateway: core", output, StringComparison.Ordinal);
        Assert.Matches(@"Ordering\s+ordering\s+ordering\s+publishes OrderCancelledEvent, PaymentRequestedEvent", output);
        Assert.Matches(@"Ordering\s+-> Payments\s+PaymentRequestedEvent\s+over PostgreSQL", output);
    }

    [Fact]
    public void mermaid_draws_the_deployments_as_boxes_and_the_network_hops_dotted()
    {
        var (_, output) = Run(["modules", "mermaid"], OrderingExtracted);

        Assert.StartsWith("flowchart LR\n", output, StringComparison.Ordinal);
        Assert.Contains("subgraph core_deployment[\"core (gateway)\"]", output, StringComparison.Ordinal);
        Assert.Contains("catalog -.->|\"ProductAddedEvent, ProductPriceChangedEvent, ProductRetiredEvent<br/><i>over PostgreSQL</i>\"| ordering", output, StringComparison.Ordinal);
        Assert.Contains("linkStyle 0,1,2 stroke:#d33", output, StringComparison.Ordinal);
    }

    [Fact]
    public void the_monolith_has_no_hop_to_mark()
    {
        var (_, output) = Run(["modules", "mermaid"], []);

        Assert.Contains("catalog -->|", output, StringComparison.Ordinal);
        Assert.DoesNotContain("-.->", output, StringComparison.Ordinal);
        Assert.DoesNotContain("linkStyle", output, StringComparison.Ordinal);
    }

    [Fact]
    public void an_unknown_format_prints_the_usage_and_fails()
    {
        var (exit, output) = Run(["modules", "yaml"], []);

        Assert.Equal(1, exit);
        Assert.StartsWith("usage: modules", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Output) Run(string[] args, Dictionary<string, string?> settings)
    {
        using var output = new StringWriter();
        var exit = ModuleMapCommand.Run(args, Modules, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), output);
        return (exit, output.ToString());
    }
}
