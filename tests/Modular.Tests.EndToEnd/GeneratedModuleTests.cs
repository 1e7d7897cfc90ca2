using System.Text.Json;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

/// <summary>
/// A module's whole life without hidden steps: <c>make module NAME=Shipping</c> in a copy of this repository, then the
/// copy builds with warnings as errors, passes the architecture rules (contract gate, module map page and README table
/// included) and the new module's own test, and the module runs in the monolith and in a topology map that does not
/// name it — with no hand edit.
/// </summary>
public sealed class GeneratedModuleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task a_generated_module_builds_passes_its_test_and_the_rules_and_runs_in_every_topology()
    {
        var copy = await CopyOfTheRepositoryAsync();
        try
        {
            var created = await Tool.RunAsync("bash", ["eng/new-module.sh", "Shipping"], copy, Patience);
            Assert.True(created.ExitCode == 0, created.Output + created.Error);

            await RunAsync(copy, "dotnet", ["build", "Modular.sln", "-nologo", "-v", "q", "-warnaserror"]);
            await RunAsync(copy, "dotnet", ["test", "tests/Modular.Tests.Architecture", "--no-build", "-nologo"]);
            var test = await RunAsync(copy, "dotnet",
                ["test", "tests/Modular.Tests.Integration", "--no-build", "-nologo", "--filter", "FullyQualifiedName~Modular.Tests.Integration.Shipping"]);
            Assert.Contains("Passed!", test, StringComparison.Ordinal);
            Assert.Contains("Total:     3", test, StringComparison.Ordinal);

            var host = Path.Combine(copy, "src", "Host", "bin", "Debug", "net10.0", "Modular.Host.dll");
            var monolith = await ModuleMapAsync(copy, host, []);
            Assert.Contains(monolith.GetProperty("modules").EnumerateArray(), m => m.GetProperty("name").GetString() == "Shipping"
                && m.GetProperty("deployment").GetString() == "monolith");
            // A map written before the module existed (Ordering extracted, core the gateway) runs it in the gateway's deployment.
            var extracted = await ModuleMapAsync(copy, host,
            [
                "--Modular:Topology:Transport=RabbitMQ", "--Modular:Topology:Gateway=core", "--Modular:Deployment=core",
                "--Modular:Topology:Deployments:core:Modules:0=Catalog", "--Modular:Topology:Deployments:core:Modules:1=Payments",
                "--Modular:Topology:Deployments:ordering:Modules:0=Ordering",
            ]);
            Assert.Contains(extracted.GetProperty("modules").EnumerateArray(), m => m.GetProperty("name").GetString() == "Shipping"
                && m.GetProperty("deployment").GetString() == "core");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

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
