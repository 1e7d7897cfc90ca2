using System.Text.Json.Nodes;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.GeneratedClient;

/// <summary>
/// The API as people outside the code meet it, against the monolith: a client an outside generator made from the
/// document, and the README's walk-through file run request by request.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class OutsideClientTests(MonolithTopology topology) : IClassFixture<MonolithTopology>
{
    private const string KiotaVersion = "1.38.0";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5); // a restore and a build on a loaded machine

    /// <summary>
    /// Kiota (the .NET tool, installed into .local/tools on first use) generates a C# client from the running
    /// monolith's document; a small program (template/) built on it compiles and runs the order flow, catching
    /// refusals as the generated, typed <c>ProblemDetails</c> exception.
    /// </summary>
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

            var run = await Tool.RunAsync("dotnet",
                [Path.Combine(work, "out", "ShopClient.dll"), topology.GatewayUrl.AbsoluteUri, await Topology.DeveloperTokenAsync()], work, Patience);

            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Contains("typed errors: /problems/conflict, /problems/invalid-request", run.Output, StringComparison.Ordinal);
            Assert.Contains("flow ok", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// docs/try-it.http, in order, as a person runs it in an editor: each request answers its <c># expect</c> status (a
    /// request is sent again while the flow is still catching up, as a person would), and every answer keeps the
    /// OpenAPI document.
    /// </summary>
    [Fact]
    public async Task the_try_it_file_runs_in_sequence_and_each_request_answers_what_it_expects()
    {
        using var http = new HttpClient(topology.OpenApiChecking()) { Timeout = TimeSpan.FromSeconds(60) };
        var variables = new Dictionary<string, string>
        {
            ["base"] = topology.GatewayUrl.AbsoluteUri.TrimEnd('/'),
            ["token"] = await Topology.TokenAsync(), // what make token prints
        };
        var named = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var requests = HttpFile.Parse(await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "docs", "try-it.http")));
        Assert.True(requests.Count >= 15, $"{requests.Count} requests");

        foreach (var request in requests)
        {
            var url = HttpFile.Substitute(request.Url, variables, named);
            var body = request.Body is null ? null : HttpFile.Substitute(request.Body, variables, named);
            var headers = request.Headers.Where(h => h.Name != "Content-Type")
                .Select(h => (h.Name, Value: HttpFile.Substitute(h.Value, variables, named))).ToList();
            Assert.Contains(headers, h => h.Name == "Authorization"); // the file shows every request with its token
            (int Status, string Text) last = (0, "");
            await ShopClient.EventuallyAsync(async () =>
            {
                using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
                if (body is not null) message.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                foreach (var (name, value) in headers) message.Headers.TryAddWithoutValidation(name, value);
                using var response = await http.SendAsync(message);
                last = ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
                // A list a later request reads from (the dead letters) may need a moment to fill.
                return last.Status == request.Expect && !(request.Name is not null && last.Text.Trim() == "[]");
            }, () => $"{request.Method} {url} answered {last.Status}, expected {request.Expect}: {last.Text}");
            if (request.Name is not null) named[request.Name] = JsonNode.Parse(last.Text);
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
