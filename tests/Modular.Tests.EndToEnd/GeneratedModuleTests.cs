using System.Text.Json;
using System.Text.RegularExpressions;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

/// <summary>
/// A module's whole life without hidden steps: <c>make module NAME=Invoicing ITEM=Invoice</c> in a copy of this
/// repository names everything after Invoicing and its invoices, with no trace of the template's own names (Shipping,
/// shipments); its placeholder contract is renamed before its first release the way docs/adding-a-module.md says; then the copy
/// builds with warnings as errors, passes the architecture rules (contract gate, module map page and README table
/// included) and the new module's own test, and the module runs in the monolith and in a topology map that does not
/// name it — with no other hand edit.
/// </summary>
public sealed partial class GeneratedModuleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task a_generated_module_builds_passes_its_test_and_the_rules_and_runs_in_every_topology()
    {
        var copy = await CopyOfTheRepositoryAsync();
        try
        {
            var before = TemplateNames(copy);
            var created = await Tool.RunAsync("make", ["module", "NAME=Invoicing", "ITEM=Invoice"], copy, Patience);
            Assert.True(created.ExitCode == 0, created.Output + created.Error);
            var leftovers = TemplateNames(copy).Where(f => f.Value > before.GetValueOrDefault(f.Key)).Select(f => f.Key).ToList();
            Assert.True(leftovers.Count == 0, $"The template's names are left in: {string.Join(", ", leftovers)}");
            Assert.True(File.Exists(Path.Combine(copy, "src", "Modules", "Invoicing", "Modular.Modules.Invoicing", "RegisterInvoice.cs")));
            Assert.Contains("| Invoicing | invoices (`invoicing`) | `/api/invoicing/invoices…` | `InvoiceRegisteredEvent` | — |",
                await File.ReadAllTextAsync(Path.Combine(copy, "README.md")), StringComparison.Ordinal);

            // Before its first release the placeholder is the author's to rename (docs/adding-a-module.md): rename it, delete its
            // fixture, regenerate. The gate, which holds released contracts, is not in the way.
            await RunAsync(copy, "bash", ["-c",
                "grep -rl InvoiceRegisteredEvent src/Modules/Invoicing tests/Modular.Tests.Integration/Invoicing README.md --include=*.cs --include=*.md " +
                "| xargs sed -i s/InvoiceRegisteredEvent/InvoiceIssuedEvent/g && cd src/Modules/Invoicing/Modular.Modules.Invoicing.Contracts " +
                "&& mv InvoiceRegisteredEvent.cs InvoiceIssuedEvent.cs && rm fixtures/InvoiceRegisteredEvent.json"]);
            await RunAsync(copy, "make", ["-s", "module-map", "contracts"]);
            var contract = await File.ReadAllTextAsync(Path.Combine(copy, "src", "Modules", "Invoicing", "Modular.Modules.Invoicing.Contracts", "contract.schema.json"));
            Assert.Contains("InvoiceIssuedEvent", contract, StringComparison.Ordinal);
            Assert.DoesNotContain("InvoiceRegisteredEvent", contract, StringComparison.Ordinal);

            await RunAsync(copy, "dotnet", ["build", "Modular.sln", "-nologo", "-v", "q", "-warnaserror"]);
            await RunAsync(copy, "dotnet", ["test", "tests/Modular.Tests.Architecture", "--no-build", "-nologo"]);
            var test = await RunAsync(copy, "dotnet",
                ["test", "tests/Modular.Tests.Integration", "--no-build", "-nologo", "--filter", "FullyQualifiedName~Modular.Tests.Integration.Invoicing"]);
            Assert.Contains("Passed!", test, StringComparison.Ordinal);
            Assert.Contains("Total:     3", test, StringComparison.Ordinal);

            var host = Path.Combine(copy, "src", "Host", "bin", "Debug", "net10.0", "Modular.Host.dll");
            var monolith = await ModuleMapAsync(copy, host, []);
            Assert.Contains(monolith.GetProperty("modules").EnumerateArray(), m => m.GetProperty("name").GetString() == "Invoicing"
                && m.GetProperty("deployment").GetString() == "monolith");
            // A map written before the module existed (Ordering extracted, core the gateway) runs it in the gateway's deployment.
            var extracted = await ModuleMapAsync(copy, host,
            [
                "--Modular:Topology:Transport=RabbitMQ", "--Modular:Topology:Gateway=core", "--Modular:Deployment=core",
                "--Modular:Topology:Deployments:core:Modules:0=Catalog", "--Modular:Topology:Deployments:core:Modules:1=Payments",
                "--Modular:Topology:Deployments:ordering:Modules:0=Ordering",
            ]);
            Assert.Contains(extracted.GetProperty("modules").EnumerateArray(), m => m.GetProperty("name").GetString() == "Invoicing"
                && m.GetProperty("deployment").GetString() == "core");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Per source file (build output and the template itself aside), how often it says the template's names.</summary>
    private static Dictionary<string, int> TemplateNames(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "templates" or ".git"))
            .ToDictionary(f => f, f => TemplateName().Count(File.ReadAllText(Path.Combine(root, f))));

    [GeneratedRegex("shipp?(ment|ing)", RegexOptions.IgnoreCase)]
    private static partial Regex TemplateName();

    /// <summary>The repository's files as a clone would have them (tracked, and new ones not ignored): no build output.</summary>
    private static async Task<string> CopyOfTheRepositoryAsync()
    {
        var copy = Directory.CreateTempSubdirectory("modular-generated-module.").FullName;
        await RunAsync(Tool.RepositoryRoot(), "bash",
            ["-c", $"git ls-files -co --exclude-standard | while read -r f; do [ -e \"$f\" ] && printf '%s\\n' \"$f\"; done | tar -cf - -T - | tar -xf - -C '{copy}'"]);
        return copy;
    }

    private static async Task<string> RunAsync(string directory, string command, string[] arguments)
    {
        var result = await Tool.RunAsync(command, arguments, directory, Patience);
        Assert.True(result.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed:\n{result.Output}{result.Error}");
        return result.Output;
    }

    private static async Task<JsonElement> ModuleMapAsync(string directory, string host, string[] settings)
    {
        var output = await RunAsync(directory, "dotnet", [host, "modules", "json", "--ConnectionStrings:Postgres=Host=unused", .. settings]);
        return JsonDocument.Parse(output).RootElement;
    }
}
