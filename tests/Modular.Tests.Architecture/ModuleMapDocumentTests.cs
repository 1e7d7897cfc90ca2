using Modular.BuildingBlocks.Topology;
using Modular.Host;
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
