using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

/// <summary>
/// The image built from the Dockerfile (<c>MODULAR_TEST_IMAGE</c>, built by <c>make test</c>), run with
/// podman against the test PostgreSQL: one container for all of <see cref="ContainerTests"/>.
/// </summary>
public class RunningContainer : IAsyncLifetime, IDisposable
{
    /// <summary>Extra environment for the container (e.g. which modules it runs).</summary>
    protected virtual IReadOnlyList<string> Environment => [];

    public const string ImageVariable = "MODULAR_TEST_IMAGE";

    private TestDatabase _database = null!;

    public string Id { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The container's operators' listener (the image's <c>Modular__ManagementUrl</c>, here on a free port).</summary>
    public Uri Management { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var image = System.Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ImageVariable} is not set: run `make test`, which builds the image with podman.");
        _database = await TestDatabase.CreateAsync("container");
        var port = Server.FreeLoopbackPort();
        var management = Server.FreeLoopbackPort();
        Management = new Uri($"http://127.0.0.1:{management}");
        Id = (await Tool.RunAsync("podman",
        [
            "run", "--detach", "--label", "modular.test", "--network", "host",
            "--env", $"ConnectionStrings__Postgres={_database.ConnectionString}",
            "--env", $"ASPNETCORE_HTTP_PORTS={port}",
            "--env", $"Modular__GrpcUrl=http://*:{Server.FreeLoopbackPort()}", // the host network: not the image's 8081
            "--env", $"Modular__ManagementUrl=http://*:{management}", // nor its 8082
            "--env", $"Modular__Authentication__SigningKey={Topologies.Topology.SigningKey}",
            .. Environment.SelectMany(e => new[] { "--env", e }),
            image,
        ])).EnsureSuccess("podman run").Output.Trim();
        Http = new HttpClient(new BearerTokenHandler(Topologies.Topology.DeveloperTokenAsync, new HttpClientHandler()))
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10),
        };
        await WaitUntilReadyAsync();
    }

    public void Dispose()
    {
        Http?.Dispose();
        GC.SuppressFinalize(this);
    }

    public async Task DisposeAsync()
    {
        if (Id.Length > 0) await Tool.RunAsync("podman", ["rm", "--force", Id]);
        if (_database is not null) await _database.DisposeAsync();
    }

    private Task WaitUntilReadyAsync() =>
        Server.WaitUntilReadyAsync(Http.BaseAddress!, TimeSpan.FromSeconds(90), async () =>
        {
            var logs = await Tool.RunAsync("podman", ["logs", Id]);
            return $"container log:\n{logs.Output}{logs.Error}";
        });
}

public sealed class ContainerTests(RunningContainer container) : IClassFixture<RunningContainer>
{
    [Fact]
    public async Task answers_ready_against_postgresql()
    {
        var response = await container.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"postgres\":{\"status\":\"Healthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task adds_a_product_and_reads_it_back()
    {
        var added = await container.Http.PostAsJsonAsync(new Uri("/api/catalog/products", UriKind.Relative),
            new { sku = "BOX-1", name = "Boxed widget", price = new { amount = 9.5m, currency = "EUR" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var product = await container.Http.GetAsync(added.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, product.StatusCode);
        Assert.Contains("\"sku\":\"BOX-1\"", await product.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task hides_exception_details_outside_development()
    {
        var response = await container.Http.PostAsync(new Uri("/api/catalog/products", UriKind.Relative),
            new StringContent("{\"sku\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task measures_and_logs_each_message_under_its_module_with_pre_generated_code()
    {
        var added = await container.Http.PostAsJsonAsync(new Uri("/api/catalog/products", UriKind.Relative),
            new { sku = "OBS-1", name = "Observed widget", price = new { amount = 2m, currency = "EUR" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        // Ordering learns the product from Catalog's event: its handler (generated at build time) tags the measurement.
        var handled = "";
        await ShopClient.EventuallyAsync(async () =>
        {
            var metrics = await container.Http.GetStringAsync(new Uri(container.Management, "/metrics"));
            handled = string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("wolverine_execution_time_Milliseconds_count{", StringComparison.Ordinal)));
            return handled.Contains("ProductAddedEvent", StringComparison.Ordinal);
        }, () => $"no ProductAddedEvent handled in /metrics:\n{handled}");
        Assert.Contains("modular_module=\"Ordering\"", handled, StringComparison.Ordinal);

        // The image logs JSON, one object per line: nothing in the console formatter's "info: …" shape. (Lines printed
        // straight to the console by libraries, e.g. JasperFx's command search, are not logs and stay as they are.)
        var logs = (await Tool.RunAsync("podman", ["logs", container.Id])).EnsureSuccess("podman logs");
        var lines = (logs.Output + logs.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = lines.Where(l => l.StartsWith('{')).ToList();
        Assert.True(json.Count >= 3, string.Join('\n', lines));
        Assert.All(json, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.DoesNotContain(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^(trce|dbug|info|warn|fail|crit): "));
    }

    [Fact]
    public async Task runs_as_a_non_root_user()
    {
        var id = (await Tool.RunAsync("podman", ["exec", container.Id, "id", "-u"])).EnsureSuccess("podman exec").Output.Trim();

        Assert.NotEqual("0", id);
    }
}

/// <summary>The same image told to run Catalog only: its pre-generated code must not bring the other modules along.</summary>
public sealed class CatalogOnlyContainer : RunningContainer
{
    protected override IReadOnlyList<string> Environment => ["Modular__Modules=Catalog"];
}

public sealed class CatalogOnlyContainerTests(CatalogOnlyContainer container) : IClassFixture<CatalogOnlyContainer>
{
    [Fact]
    public async Task routes_of_modules_it_does_not_run_are_404_even_with_pre_generated_code()
    {
        Assert.Equal(HttpStatusCode.OK, (await container.Http.GetAsync(new Uri("/api/catalog/products", UriKind.Relative))).StatusCode);
        var ordering = await container.Http.GetAsync(new Uri("/api/ordering/orders?customerId=x", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, ordering.StatusCode);
        Assert.Equal("application/problem+json", ordering.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task the_container_runs_pre_generated_code()
    {
        var environment = (await Tool.RunAsync("podman", ["exec", container.Id, "printenv", "Modular__CodeGeneration"]))
            .EnsureSuccess("podman exec").Output.Trim();

        Assert.Equal("Static", environment);
    }
}
