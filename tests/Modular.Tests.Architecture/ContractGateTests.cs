using System.Text.Json.Nodes;
using Modular.Host;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution.Topology;
using Modular.Tests.Support;

namespace Modular.Tests.Architecture;

/// <summary>
/// The contract gate (ADR 0020): a module's Contracts are what other modules — and, once extracted, other services
/// running other versions — rely on. Each module commits its contract's JSON Schema (<c>make contracts</c>); a change
/// that breaks a reader of the published one fails here, and so does a new version without an upcaster.
/// </summary>
public sealed class ContractGateTests
{
    public static TheoryData<string> Modules() => new(HostedModules.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Modules))]
    public void no_change_breaks_a_published_contract(string name)
    {
        var (published, current) = Contract(name);

        var breaks = ContractSchemas.BreakingChanges(published, current);

        Assert.True(breaks.Count == 0,
            $"{name}'s Contracts break what was published ({Path(name)}):\n  {string.Join("\n  ", breaks)}\n" +
            "Change contracts only by adding (optional members, new messages, new enum values); otherwise publish a new version " +
            "<Name>V2 beside the old one with `public static <Name>V2 From(<Name> previous)` (docs/evolving-a-contract.md).");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void the_committed_contract_is_the_code_s(string name)
    {
        var (published, current) = Contract(name);

        Assert.True(ContractSchemas.Write(published) == ContractSchemas.Write(current),
            $"{Path(name)} is stale: the Contracts changed (additively, or the other test says otherwise). Run `make contracts` and commit it.");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void every_message_has_a_committed_payload_and_every_new_version_an_upcaster(string name)
    {
        var contracts = ContractSchemas.ContractsOf(HostedModules.All.Single(m => m.Name == name));
        var fixtures = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path(name))!, ContractSchemas.FixturesDirectory);

        var missing = ContractSchemas.Messages(contracts).Where(m => !File.Exists(System.IO.Path.Combine(fixtures, m.Name + ".json"))).ToList();

        Assert.True(missing.Count == 0, $"No payload fixture for {string.Join(", ", missing.Select(m => m.Name))}: run `make contracts` and commit it.");
        Assert.Empty(ContractSchemas.MissingUpcasters(contracts));
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void a_handler_of_a_new_version_still_handles_the_old_one(string name) =>
        Assert.Empty(ContractSchemas.OldVersionsNotHandled(MessageEdges.HandledMessageTypes(HostedModules.All.Single(m => m.Name == name).Assembly)));

    [Fact]
    public void a_handler_that_dropped_the_old_version_is_caught() =>
        Assert.Equal(["Modular.Tests.Architecture.BadExamples.VersionHandlers.ForgetfulPartMovedEventHandler handles PartMovedEventV2 but not " +
                      "PartMovedEvent: add Handle(PartMovedEvent old) => Handle(PartMovedEventV2.From(old))"],
            ContractSchemas.OldVersionsNotHandled(MessageEdges.HandledMessageTypes(typeof(ContractGateTests).Assembly)
                .Where(h => h.Handler.Namespace == "Modular.Tests.Architecture.BadExamples.VersionHandlers")));

    [Fact]
    public void a_new_version_without_an_upcaster_is_caught() =>
        Assert.Equal(["Modular.Tests.Architecture.BadExamples.Versions.ThingMovedEventV2 has no upcaster: public static ThingMovedEventV2 From(ThingMovedEvent previous)"],
            ContractSchemas.MissingUpcasters(typeof(ContractGateTests).Assembly));

    [Theory]
    [InlineData("removed", """{"$defs":{"A":{"type":"object","properties":{"note":{"type":"string"}},"required":[]}}}""", "A.id was removed or renamed")]
    [InlineData("retyped", """{"$defs":{"A":{"type":"object","properties":{"id":{"type":"integer"},"note":{"type":"string"}},"required":["id"]}}}""",
        "A.id changed from {\"type\":\"string\"} to {\"type\":\"integer\"}")]
    [InlineData("made required", """{"$defs":{"A":{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id","note"]}}}""",
        "A.note became required (old messages lack it)")]
    [InlineData("type removed", """{"$defs":{}}""", "A was removed: keep it, and publish its new version beside it")]
    public void each_kind_of_breaking_change_is_caught(string change, string current, string expected)
    {
        var published = JsonNode.Parse("""{"$defs":{"A":{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id"]}}}""")!.AsObject();

        Assert.True(ContractSchemas.BreakingChanges(published, JsonNode.Parse(current)!.AsObject()) is [var only] && only == expected, change);
    }

    [Fact]
    public void removing_an_enum_value_breaks_and_adding_things_does_not()
    {
        var published = JsonNode.Parse("""{"$defs":{"E":{"type":"integer","x-enum-names":["Red=0","Blue=1"]},"A":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}}""")!.AsObject();
        var additive = JsonNode.Parse("""{"$defs":{"E":{"type":"integer","x-enum-names":["Red=0","Blue=1","Green=2"]},"A":{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id"]},"B":{"type":"object","properties":{},"required":[]}}}""")!.AsObject();
        var narrowed = JsonNode.Parse("""{"$defs":{"E":{"type":"integer","x-enum-names":["Red=0"]},"A":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}}""")!.AsObject();

        Assert.Empty(ContractSchemas.BreakingChanges(published, additive));
        Assert.Equal(["E lost the value Blue=1"], ContractSchemas.BreakingChanges(published, narrowed));
    }

    private static (JsonObject Published, JsonObject Current) Contract(string name)
    {
        var module = HostedModules.All.Single(m => m.Name == name);
        var path = Path(name);
        Assert.True(File.Exists(path), $"{path} is missing: run `make contracts` and commit it.");
        return (JsonNode.Parse(File.ReadAllText(path))!.AsObject(), ContractSchemas.Describe(ContractSchemas.ContractsOf(module)));
    }

    private static string Path(string name)
    {
        var module = HostedModules.All.Single(m => m.Name == name);
        return System.IO.Path.Combine(Tool.RepositoryRoot(), "src", "Modules", name, ContractSchemas.ContractsOf(module).GetName().Name!, ContractSchemas.FileName);
    }
}
