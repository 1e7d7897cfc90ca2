using System.Diagnostics;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// <c>make run</c> as a newcomer meets it (eng/run.sh, on a test database): it says where it listens, Ctrl-C stops it
/// cleanly, and a second one on the same address, or one on a non-loopback address, is refused with one line instead of a stack trace.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class MakeRunTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3); // run.sh builds first (up to date here)

    [Fact]
    public async Task ctrl_c_stops_make_run_cleanly_and_a_second_one_on_the_taken_address_is_refused_in_one_line()
    {
        await using var database = await TestDatabase.CreateAsync("make-run");
        var url = $"http://127.0.0.1:{Server.FreeLoopbackPort()}";
        var grpcUrl = $"http://127.0.0.1:{Server.FreeLoopbackPort()}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString, ["MODULAR_URL"] = url, ["MODULAR_GRPC_URL"] = grpcUrl,
            // The run's secret, not .local's: the roles are the test server's, shared with the other tests.
            ["Modular__Database__RoleSecret"] = Topology.RoleSecret,
        };

        // setsid: its own process group, as a terminal's foreground job is; Ctrl-C signals that whole group. SIGINT back
        // to its default first: a suite started in the background (`make test &`, nohup) passes SIGINT on ignored, and a
        // terminal's Ctrl-C never is.
        var start = new ProcessStartInfo("setsid", ["env", "--default-signal=INT", "bash", "eng/run.sh"])
        {
            WorkingDirectory = Tool.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await ShopClient.EventuallyAsync(async () => !run.HasExited && (await TryGetAsync(http, new Uri($"{url}/health/live"))),
                () => "make run never answered", Patience);

            // Its gRPC listener answers too (HTTP/2 without TLS): a call without a token is refused as gRPC refuses it.
            using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(grpcUrl))
            {
                var call = new Modular.Modules.Catalog.GrpcApi.Products.ProductsClient(channel)
                    .GetProductAsync(new Modular.Modules.Catalog.GrpcApi.GetProductRequest { Id = Guid.NewGuid().ToString() });
                Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, (await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => call.ResponseAsync)).StatusCode);
            }

            // Development too: the operations page is open (it holds no data), what it reads needs an admin token —
            // make token's.
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri($"{url}/ops"))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri($"{url}/api/admin/ops"))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri($"{url}/api/admin/ops/work"))).StatusCode);
            var token = (await Tool.RunAsync("bash", ["eng/token.sh"], Tool.RepositoryRoot(), Patience)).EnsureSuccess("make token").Output.Trim();
            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{url}/api/admin/ops")))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var ops = await http.SendAsync(request);
                Assert.Equal(System.Net.HttpStatusCode.OK, ops.StatusCode);
                var view = await ops.Content.ReadAsStringAsync();
                Assert.Contains("\"status\":\"up\"", view, StringComparison.Ordinal);
                Assert.Contains("\"metricsPath\":\"/metrics\"", view, StringComparison.Ordinal); // the page links to them
            }

            // What the image shows, make run shows: Prometheus metrics.
            using (var metrics = await http.GetAsync(new Uri($"{url}/metrics")))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, metrics.StatusCode);
                Assert.Contains("http_server_request_duration_seconds", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(System.Net.HttpStatusCode.Unauthorized,
                (await http.PostAsync(new Uri($"{url}/api/admin/ops/deployments/monolith/dead-letters/{Guid.NewGuid()}/replay"), null)).StatusCode);

            var second = await Tool.RunAsync("bash", ["eng/run.sh"], Tool.RepositoryRoot(), Patience, environment);
            Assert.Equal(1, second.ExitCode);
            var refusal = Assert.Single(second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("is taken", refusal, StringComparison.Ordinal);

            // Development's key and secrets sit in .local: make run listens on this machine only unless told otherwise.
            var remote = await Tool.RunAsync("bash", ["eng/run.sh"], Tool.RepositoryRoot(), Patience,
                new Dictionary<string, string>(environment) { ["MODULAR_URL"] = $"http://0.0.0.0:{Server.FreeLoopbackPort()}" });
            Assert.Equal(1, remote.ExitCode);
            Assert.Contains("not a loopback address", Assert.Single(remote.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

            (await Tool.RunAsync("kill", ["-INT", "--", $"-{run.Id}"])).EnsureSuccess("sending SIGINT to make run's group");
            using var stopped = new CancellationTokenSource(Patience);
            await run.WaitForExitAsync(stopped.Token);
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
        }

        var log = await output + await errors;
        Assert.Contains($"Swagger UI: {url}/swagger", log, StringComparison.Ordinal);
        Assert.Contains($"gRPC:       {grpcUrl}", log, StringComparison.Ordinal);
        Assert.Contains($"Operations: {url}/ops", log, StringComparison.Ordinal);
        Assert.Contains($"Metrics:    {url}/metrics", log, StringComparison.Ordinal);
        Assert.Contains("Application is shutting down", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
    }

    private static async Task<bool> TryGetAsync(HttpClient http, Uri url)
    {
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
