namespace Modular.Tests.Architecture;

/// <summary>BuildingBlocks in two layers, one way (ADR 0021): see <see cref="LayerRules"/>.</summary>
public sealed class LayerTests
{
    private const string Root = "Modular.BuildingBlocks";
    private static readonly IReadOnlyList<NamespaceUse> Uses = LayerRules.Uses(Modules.BuildingBlocks, Root);

    [Fact]
    public void composition_knows_nothing_of_distribution_nor_of_the_host()
    {
        // Not vacuous: Distribution builds on Composition, and the host wires both.
        Assert.Contains(Uses, u => u.User.StartsWith($"{Root}.Distribution.", StringComparison.Ordinal)
                                   && u.Used.StartsWith($"{Root}.Composition.", StringComparison.Ordinal));
        Assert.Empty(LayerRules.CompositionKnowsNoDistribution(Uses, Root));
    }

    [Fact]
    public void no_two_namespaces_use_each_other() =>
        Assert.Empty(LayerRules.NoNamespaceCycles(Uses));

    [Fact]
    public void every_namespace_is_in_a_layer() =>
        Assert.Empty(LayerRules.EveryNamespaceHasALayer(Modules.BuildingBlocks, Root));
}
