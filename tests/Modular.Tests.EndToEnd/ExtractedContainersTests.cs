using System.Net;
using System.Net.Http.Json;
using Modular.Tests.EndToEnd.Deployment;
using Modular.Tests.EndToEnd.Topologies;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

/// <summary>
/// compose.extracted.yaml brought up with podman: its core, ordering-1 and ordering-2 services, each with the
/// environment the compose file gives it, run from the image <c>make test</c> builds. Only what only a machine with
/// those hosts could resolve is rewritten: the servers become the test PostgreSQL and RabbitMQ (the admin's login for
/// the roles step alone, as the file gives it), the service names loopback ports (every container shares the host network).
/// </summary>
public sealed class ExtractedComposeContainers : IAsyncLifetime
{
    private static readonly string[] AppServices = ["core", "ordering-1", "ordering-2"];
    private readonly Dictionary<string, int> _ports = AppServices.ToDictionary(s => s, _ => Server.FreeLoopbackPort());
    private readonly Dictionary<string, int> _grpcPorts = AppServices.ToDictionary(s => s, _ => Server.FreeLoopbackPort());
    private TestDatabase _database = null!;

    public Dictionary<string, string> Ids { get; } = [];
    public Uri Gateway => new($"http://127.0.0.1:{_ports["core"]}");

    public async Task InitializeAsync()
    {
        var image = Environment.GetEnvironmentVariable(RunningContainer.ImageVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{RunningContainer.ImageVariable} is not set: run `make test`, which builds the image with podman.");
        _database = await TestDatabase.CreateAsync("compose-extracted");
        var compose = (await Tool.RunAsync("docker-compose", ["-f", "compose.extracted.yaml", "config"], Tool.RepositoryRoot(),
                environment: new Dictionary<string, string> { ["MODULAR_SIGNING_KEY"] = Topology.SigningKey, ["MODULAR_ROLE_SECRET"] = Topology.RoleSecret }))
            .EnsureSuccess("docker-compose config").Output;
        var services = Yaml.Documents(compose).Single().Map("services");

        // The one-shot "roles" service first, as compose runs it: each module's role and schema, then it exits.
        var roles = services.At("roles", "environment").ToDictionary(e => (string)e.Key, e => Rewrite((string)e.Key, (string)e.Value));
        (await Tool.RunAsync("podman",
        [
            "run", "--rm", "--network", "host", .. roles.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }), image,
            .. services.At("roles").List("command").Cast<string>(),
        ])).EnsureSuccess("podman run roles");

        foreach (var service in AppServices)
        {
            var environment = services.At(service, "environment").ToDictionary(e => (string)e.Key, e => Rewrite((string)e.Key, (string)e.Value));
            environment["ASPNETCORE_HTTP_PORTS"] = _ports[service].ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment["Modular__GrpcUrl"] = $"http://*:{_grpcPorts[service]}"; // the host network: not the image's 8081
            environment["Modular__ManagementUrl"] = $"http://*:{Server.FreeLoopbackPort()}"; // nor its 8082
            environment["Modular__Gateway__HealthCheckInterval"] = "00:00:01";
            Ids[service] = (await Tool.RunAsync("podman",
            [
                "run", "--detach", "--label", "modular.test", "--network", "host",
                .. environment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }),
                image,
            ])).EnsureSuccess("podman run").Output.Trim();
        }

        await Task.WhenAll(AppServices.Select(s => Server.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{_ports[s]}"), TimeSpan.FromSeconds(90),
            async () => $"{s}:\n{(await Tool.RunAsync("podman", ["logs", Ids[s]])).Error}")));
    }

    /// <summary>A container's output, for a failure message.</summary>
    public async Task<string> LogsAsync(string service)
    {
        var logs = await Tool.RunAsync("podman", ["logs", Ids[service]]);
        return $"{service}:\n{logs.Output}{logs.Error}";
    }

    private string Rewrite(string key, string value) => key switch
    {
        // The roles step gets the admin's login; the apps only where the database is (they log in as their roles).
        "ConnectionStrings__PostgresAdmin" => _database.ConnectionString,
        "ConnectionStrings__Postgres" => new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Username = null, Password = null }.ConnectionString,
        "ConnectionStrings__RabbitMQ" => Environment.GetEnvironmentVariable(Topology.RabbitMqVariable)
            ?? throw new InvalidOperationException($"{Topology.RabbitMqVariable} is not set: run `make test`."),
        _ when key.StartsWith("Services__", StringComparison.Ordinal) && key.Contains("__grpc__", StringComparison.Ordinal)
            => $"http://127.0.0.1:{_grpcPorts[new Uri(value).Host]}",
        _ when key.StartsWith("Services__", StringComparison.Ordinal) => $"http://127.0.0.1:{_ports[new Uri(value).Host]}",
        _ => value,
    };

    public async Task DisposeAsync()
    {
        foreach (var id in Ids.Values) await Tool.RunAsync("podman", ["rm", "--force", id]);
        if (_database is not null) await _database.DisposeAsync();
    }
}

[Collection(EndToEndSuite.Name)] // shares the test broker's queues with the topologies: one at a time
public sealed class ExtractedContainersTests(ExtractedComposeContainers containers) : IClassFixture<ExtractedComposeContainers>, IDisposable
{
    private readonly HttpClient _http = new(new BearerTokenHandler(Topology.DeveloperTokenAsync, new HttpClientHandler()))
    {
        BaseAddress = containers.Gateway, Timeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task an_order_through_the_gateway_is_confirmed_and_still_is_after_an_ordering_container_dies()
    {
        var product = await AddProductAsync();
        var first = await PlaceUntilAcceptedAsync(product, "compose-a");
        await WaitForStatusAsync(first, "Confirmed");

        await Tool.RunAsync("podman", ["kill", containers.Ids["ordering-1"]]);
        var orders = new List<Guid>();
        for (var i = 0; i < 6; i++) orders.Add(await PlaceUntilAcceptedAsync(product, $"compose-b{i}"));

        foreach (var order in orders) await WaitForStatusAsync(order, "Confirmed");
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri("/openapi/ordering.json", UriKind.Relative))).StatusCode);
    }

    private async Task<Guid> AddProductAsync()
    {
        var response = await _http.PostAsJsonAsync(new Uri("/api/catalog/products", UriKind.Relative),
            new { sku = $"C-{Guid.NewGuid():N}"[..12], name = "Compose widget", price = new { amount = 3m, currency = "EUR" } });
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{await containers.LogsAsync("core")}");
        return (await response.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    /// <summary>Ordering learns the product by an event, and an instance may have just died: resend the same request.</summary>
    private async Task<Guid> PlaceUntilAcceptedAsync(Guid product, string key)
    {
        HttpResponseMessage? last = null;
        await ShopClient.EventuallyAsync(async () =>
        {
            last = await _http.PostAsJsonAsync(new Uri("/api/ordering/orders", UriKind.Relative),
                new { customerId = "compose", idempotencyKey = key, lines = new[] { new { productId = product, quantity = 1 } } });
            return last.StatusCode == HttpStatusCode.Created;
        }, () => $"order {key} was not accepted: {(int?)last?.StatusCode}");
        return (await last!.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    private Task WaitForStatusAsync(Guid order, string status) =>
        ShopClient.EventuallyAsync(async () =>
            (await _http.GetFromJsonAsync<Status>(new Uri($"/api/ordering/orders/{order}", UriKind.Relative)))!.Value == status,
            $"order {order} never reached {status}");

    private sealed record Created(Guid Id);
    private sealed record Status([property: System.Text.Json.Serialization.JsonPropertyName("status")] string Value);

    public void Dispose() => _http.Dispose();
}
