using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.GeneratedClient;

/// <summary>
/// An outside generator's view of the document: Kiota (the .NET tool, installed into .local/tools on first use)
/// generates a C# client from the running monolith's OpenAPI document; a small program (template/) built on it
/// compiles and runs the order flow, catching problems as the generated, typed <c>ProblemDetails</c> exception.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class GeneratedClientTests(MonolithTopology topology) : IClassFixture<MonolithTopology>
{
    private const string KiotaVersion = "1.38.0";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5); // a restore and a build on a loaded machine

    [Fact]
    public async Task a_client_generated_by_kiota_compiles_and_runs_the_order_flow_with_typed_errors()
    {
        var kiota = await InstallKiotaAsync();
        var work = Directory.CreateTempSubdirectory("modular-kiota-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "GeneratedClient", "template")))
                File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
            using (var http = new HttpClient())
                await File.WriteAllTextAsync(Path.Combine(work, "openapi.json"),
                    await http.GetStringAsync(new Uri(topology.GatewayUrl, "/swagger/v1/swagger.json")));

            (await Tool.RunAsync(kiota, ["generate", "-l", "CSharp", "-d", "openapi.json", "-o", "Client", "-c", "ShopApi",
                    "-n", "Shop.Client", "--exclude-backward-compatible", "--ll", "Warning"], work, Patience,
                new Dictionary<string, string> { ["KIOTA_OFFLINE_ENABLED"] = "true" }))
                .EnsureSuccess("kiota generate");
            (await Tool.RunAsync("dotnet", ["build", "-nologo", "-v", "q", "-o", "out"], work, Patience)).EnsureSuccess("building the generated client");

            var run = await Tool.RunAsync("dotnet", [Path.Combine(work, "out", "ShopClient.dll"), topology.GatewayUrl.AbsoluteUri], work, Patience);

            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Contains("typed errors: /problems/conflict, /problems/invalid-request", run.Output, StringComparison.Ordinal);
            Assert.Contains("flow ok", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The Kiota tool at a pinned version, installed once per checkout (NuGet is reachable where tests run).</summary>
    private static async Task<string> InstallKiotaAsync()
    {
        var toolPath = Path.Combine(Tool.RepositoryRoot(), ".local", "tools", $"kiota-{KiotaVersion}");
        var kiota = Path.Combine(toolPath, "kiota");
        if (!File.Exists(kiota))
            (await Tool.RunAsync("dotnet", ["tool", "install", "--tool-path", toolPath, "Microsoft.OpenApi.Kiota", "--version", KiotaVersion],
                timeout: Patience)).EnsureSuccess("installing Kiota");
        return kiota;
    }
}
