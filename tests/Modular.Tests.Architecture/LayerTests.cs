namespace Modular.Tests.Architecture;

/// <summary>The platform in two layers, one way (ADR 0021): see <see cref="LayerRules"/>.</summary>
public sealed class LayerTests
{
    private const string Root = "Modular.Platform";
    private static readonly IReadOnlyList<NamespaceUse> Uses = LayerRules.Uses(Modules.Platform, Root);

    [Fact]
    public void composition_knows_nothing_of_distribution_nor_of_the_host()
    {
        // Not vacuous: Distribution builds on Composition, and the host wires both.
        Assert.Contains(Uses, u => u.User.StartsWith($"{Root}.Distribution.", StringComparison.Ordinal)
                                   && u.Used.StartsWith($"{Root}.Composition.", StringComparison.Ordinal));
        Assert.Empty(LayerRules.CompositionKnowsNoDistribution(Uses, Root));
    }

    [Fact]
    public void only_the_commands_use_the_commands()
    {
        Assert.Contains(Uses, u => u.User == $"{Root}.{LayerRules.Commands}"); // not vacuous: they use both layers
        Assert.Empty(LayerRules.NothingUsesTheCommands(Uses, Root));
    }

    [Fact]
    public void no_two_namespaces_use_each_other() =>
        Assert.Empty(LayerRules.NoNamespaceCycles(Uses));

    [Fact]
    public void every_namespace_is_in_a_layer() =>
        Assert.Empty(LayerRules.EveryNamespaceHasALayer(Modules.Platform, Root));
}
