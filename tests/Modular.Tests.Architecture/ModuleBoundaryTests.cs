namespace Modular.Tests.Architecture;

/// <summary>The rules, applied to every module of the Host. Adding a module adds no rule.</summary>
public sealed class ModuleBoundaryTests
{
    public static TheoryData<string> ModuleNames() => new(Modules.All.Select(m => m.Name));

    [Fact]
    public void the_host_lists_at_least_one_module_and_every_module_project_it_references() =>
        Assert.Equal(
            typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
                .Where(n => n.StartsWith("Modular.Modules.", StringComparison.Ordinal) && !n.EndsWith(".Contracts", StringComparison.Ordinal))
                .Order(),
            Modules.All.Select(m => m.Internals.Assembly.GetName().Name!).Order());

    [Fact]
    public void the_sdk_and_the_platform_know_no_module()
    {
        Assert.Empty(ModuleRules.BuildingBlocksKnowNoModule(TypeSet.Of(Modules.Sdk), Modules.All));
        Assert.Empty(ModuleRules.BuildingBlocksKnowNoModule(TypeSet.Of(Modules.Platform), Modules.All));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void a_module_sees_the_sdk_and_no_more_of_the_framework(string module)
    {
        var internals = Find(module).Internals.Assembly;
        Assert.Contains(internals.GetReferencedAssemblies(), a => a.Name == Modules.Sdk.GetName().Name); // not vacuous
        Assert.Empty(ModuleRules.ModuleSeesOnlyTheSdk(internals, Modules.Sdk));
    }

    [Fact]
    public void modules_reference_other_modules_only_through_their_contracts()
    {
        Assert.NotEmpty(Modules.Pairs()); // with one module the rule would hold vacuously
        Assert.Empty(Modules.Pairs().SelectMany(p => ModuleRules.ModuleUsesOnlyContractsOf(p.Module.Internals, p.Other.Internals)));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void contracts_depend_only_on_the_base_library(string module) =>
        Assert.Empty(ModuleRules.ContractsDependOnlyOnTheBaseLibrary(Find(module).Contracts));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void integration_events_are_immutable_sealed_records_ending_in_Event(string module)
    {
        var contracts = Find(module).Contracts;
        Assert.Contains(contracts.Loaded(), t => t.Name.EndsWith("Event", StringComparison.Ordinal));
        Assert.Empty(ModuleRules.IntegrationEventsAreImmutableSealedRecords(contracts));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void contracts_hold_only_immutable_records_and_enums(string module) =>
        Assert.Empty(ModuleRules.ContractsHoldOnlyImmutableRecordsAndEnums(Find(module).Contracts));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void integration_events_are_declared_only_in_contracts(string module) =>
        Assert.Empty(ModuleRules.InternalsDeclareNoIntegrationEvents(Find(module).Internals));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void endpoints_declare_who_may_call_them(string module) =>
        Assert.Empty(ModuleRules.EndpointsDeclareWhoMayCallThem(Find(module).Internals));

    private static ModuleAssemblies Find(string name) => Modules.All.Single(m => m.Name == name);
}
