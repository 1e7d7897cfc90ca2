using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Commands;

/// <summary>The contract gate's files (ADR 0020).</summary>
internal static class ContractsCommand
{
    public const string Name = "contracts";

    /// <summary>
    /// <c>contracts [root]</c> (make contracts): each module's contract schema beside its Contracts project
    /// (<c>src/Modules/&lt;Name&gt;/&lt;assembly&gt;/contract.schema.json</c>), and a payload fixture for each message that has
    /// none yet (<c>fixtures/&lt;Type&gt;.json</c>; existing ones are what was published, and are never rewritten). A fixture
    /// whose message is gone is named with what to do: a message never released (a new module's placeholder) is the
    /// author's to rename or remove, and its fixture goes with it; a released one must come back.
    /// </summary>
    public static int Run(IReadOnlyList<ModuleDefinition> available, string root, TextWriter output)
    {
        foreach (var module in available)
        {
            var contracts = ContractSchemas.ContractsOf(module);
            var directory = Path.Combine(root, "src", "Modules", module.Name, contracts.GetName().Name!);
            if (!Directory.Exists(directory))
            {
                output.WriteLine($"{directory} does not exist: run this from the repository's root (or pass it).");
                return 1;
            }

            File.WriteAllText(Path.Combine(directory, ContractSchemas.FileName), ContractSchemas.Write(ContractSchemas.Describe(contracts)));
            output.WriteLine($"wrote {Path.Combine(directory, ContractSchemas.FileName)}");
            Directory.CreateDirectory(Path.Combine(directory, ContractSchemas.FixturesDirectory));
            var messages = ContractSchemas.Messages(contracts).ToList();
            foreach (var orphan in Directory.GetFiles(Path.Combine(directory, ContractSchemas.FixturesDirectory), "*.json")
                         .Where(f => messages.All(m => m.Name != Path.GetFileNameWithoutExtension(f))).Order(StringComparer.Ordinal))
                output.WriteLine($"{orphan}: its message is gone. Never released? Delete this file. Released? Bring the message back " +
                                 "(docs/evolving-a-contract.md).");
            foreach (var message in messages)
            {
                var fixture = Path.Combine(directory, ContractSchemas.FixturesDirectory, message.Name + ".json");
                if (File.Exists(fixture)) continue;
                File.WriteAllText(fixture, ContractSchemas.Fixture(message));
                output.WriteLine($"wrote {fixture}");
            }
        }

        return 0;
    }
}
