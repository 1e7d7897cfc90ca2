namespace Modular.Tests.Architecture;

/// <summary>Each module rule, run against a deliberately bad type set (BadExamples/), must report it.</summary>
public sealed class RulesCanFailTests
{
    private static TypeSet Bad(string area) =>
        new(typeof(RulesCanFailTests).Assembly, $"Modular.Tests.Architecture.BadExamples.{area}");

    private static TypeSet CatalogInternals => Modules.All.Single(m => m.Name == "Catalog").Internals;

    [Fact]
    public void building_blocks_rule_reports_a_reference_to_a_module() =>
        Assert.Contains("Modular.Tests.Architecture.BadExamples.BuildingBlocks.KnowsTheCatalog",
            ModuleRules.BuildingBlocksKnowNoModule(Bad("BuildingBlocks"), Modules.All));

    [Fact]
    public void sdk_rule_reports_a_reference_to_the_platform() =>
        // The Host references the platform, as a module that reached for the topology or the gateway would have to.
        Assert.Contains($"Modular.Host references {Modules.Platform.GetName().Name}",
            ModuleRules.ModuleSeesOnlyTheSdk(typeof(Program).Assembly, Modules.Sdk));

    [Fact]
    public void boundary_rule_reports_a_reference_to_another_modules_internals() =>
        Assert.Contains("Modular.Tests.Architecture.BadExamples.OtherModule.ReadsCatalogDocuments",
            ModuleRules.ModuleUsesOnlyContractsOf(Bad("OtherModule"), CatalogInternals));

    [Fact]
    public void boundary_rule_reports_an_assembly_reference_to_another_modules_internals() =>
        // This test project references the Host, which references Catalog's internals assembly.
        Assert.NotEmpty(ModuleRules.ModuleUsesOnlyContractsOf(TypeSet.Of(typeof(Program).Assembly), CatalogInternals));

    [Fact]
    public void endpoint_rule_reports_an_endpoint_that_says_nobody_may_or_may_not_call_it() =>
        Assert.Equal(["Modular.Tests.Architecture.BadExamples.Endpoints.UnguardedEndpoint.Get"],
            ModuleRules.EndpointsDeclareWhoMayCallThem(Bad("Endpoints")));

    [Fact]
    public void contracts_rule_reports_a_dependency_beyond_the_base_library() =>
        Assert.Contains("Modular.Tests.Architecture.BadExamples.Contracts.LeakyCommand",
            ModuleRules.ContractsDependOnlyOnTheBaseLibrary(Bad("Contracts")));

    [Fact]
    public void event_rule_reports_mutable_unsealed_and_non_record_events()
    {
        var violations = ModuleRules.IntegrationEventsAreImmutableSealedRecords(Bad("Contracts"));

        Assert.Equal(
            ["MutableThingHappenedEvent", "SettableThingHappenedEvent", "UnsealedThingHappenedEvent"],
            violations.Select(v => v.Split('.')[^1]).Order());
    }

    [Fact]
    public void contracts_shape_rule_reports_a_mutable_class() =>
        Assert.Contains("Modular.Tests.Architecture.BadExamples.Contracts.MutableThingHappenedEvent",
            ModuleRules.ContractsHoldOnlyImmutableRecordsAndEnums(Bad("Contracts")));

    [Fact]
    public void internals_rule_reports_an_integration_event_outside_contracts() =>
        Assert.Contains("Modular.Tests.Architecture.BadExamples.OtherModule.OrderShippedEvent",
            ModuleRules.InternalsDeclareNoIntegrationEvents(Bad("OtherModule")));

    private const string BadLayers = "Modular.Tests.Architecture.BadExamples.Layers";

    [Fact]
    public void layer_rule_reports_composition_using_distribution_and_the_host()
    {
        var violations = LayerRules.CompositionKnowsNoDistribution(LayerRules.Uses(typeof(RulesCanFailTests).Assembly, BadLayers), BadLayers);

        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.StartsWith($"{BadLayers}.Composition.Http uses {BadLayers}.Distribution.Gateway (", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith($"{BadLayers}.Composition.Http uses {BadLayers} (", StringComparison.Ordinal));
    }

    [Fact]
    public void cycle_rule_reports_both_uses_of_two_namespaces_that_use_each_other()
    {
        var violations = LayerRules.NoNamespaceCycles(LayerRules.Uses(typeof(RulesCanFailTests).Assembly, BadLayers));

        Assert.Equal(
            [$"{BadLayers}.Composition.Http uses {BadLayers}.Composition.Modules", $"{BadLayers}.Composition.Modules uses {BadLayers}.Composition.Http"],
            violations.Select(v => v[..v.IndexOf(" (", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void layer_rule_reports_a_namespace_outside_both_layers() =>
        Assert.Equal([$"{BadLayers}.Escaped"], LayerRules.EveryNamespaceHasALayer(typeof(RulesCanFailTests).Assembly, BadLayers));
}
