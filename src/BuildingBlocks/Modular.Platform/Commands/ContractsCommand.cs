using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Commands;

/// <summary>The contract gate's files (ADR 0020).</summary>
internal static class ContractsCommand
{
    public const string Name = "contracts";

    /// <summary>
    /// <c>contracts [root]</c> (make contracts): each module's contract schema beside its Contracts project
    /// (<c>src/Modules/&lt;Name&gt;/&lt;assembly&gt;/contract.schema.json</c>), and a payload fixture for each message that has
    /// none yet (<c>fixtures/&lt;Type&gt;.json</c>; existing ones are what was published, and are never rewritten).
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
            foreach (var message in ContractSchemas.Messages(contracts))
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
