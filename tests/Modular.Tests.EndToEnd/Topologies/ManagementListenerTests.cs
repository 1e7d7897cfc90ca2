using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>Ordering extracted behind the gateway (PostgreSQL queues), every instance with an operators' listener of its own.</summary>
public sealed class OrderingWithManagementListeners : Topology
{
    protected override string Transport => "PostgreSQL";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    protected override HostProcess CreateProcess(string deployment) => new(deployment, Loopback(), [], Loopback(), Loopback());

    protected override IEnumerable<string> ExtraSettings => ["--Modular:Metrics:Enabled=true"];

    private static Uri Loopback() => new($"http://127.0.0.1:{Server.FreeLoopbackPort()}");
}

/// <summary>
/// <c>Modular:ManagementUrl</c>: the operations page, the admin API and <c>/metrics</c> answer on the operators' listener
/// and nowhere else, which answers nothing but those and health; health answers on both; and the gateway still sees
/// every deployment, asking each instance on its own operators' listener.
/// </summary>
[Collection(EndToEndSuite.Name)]
public sealed class ManagementListenerTests(OrderingWithManagementListeners topology) : IClassFixture<OrderingWithManagementListeners>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task operators_endpoints_answer_on_the_management_listener_only_and_client_endpoints_never_do()
    {
        var gateway = topology.ProcessOf("Catalog");
        var management = gateway.ManagementUrl!;
        var token = await Topology.DeveloperTokenAsync();

        foreach (var path in new[] { "/metrics", "/ops", "/api/admin/ops", "/api/admin/dead-letters" })
        {
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Url, path, token));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, path, token));
        }

        foreach (var path in new[] { "/api/catalog/products", "/api/ordering/orders?customerId=alice", "/swagger/v1/swagger.json" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Url, path, token));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(management, path, token));
        }

        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Url, path, null));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(management, path, null));
        }

        // The refusal is a problem like any 404, saying nothing about what lives on the other listener.
        using var refused = await SendAsync(gateway.Url, "/api/admin/ops", token);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task the_gateway_reads_every_deployments_work_from_its_management_listener()
    {
        var gateway = topology.ProcessOf("Catalog");
        using var response = await SendAsync(gateway.ManagementUrl!, "/api/admin/ops", await Topology.DeveloperTokenAsync());
        response.EnsureSuccessStatusCode();
        var view = (await response.Content.ReadFromJsonAsync<View>())!;

        Assert.Equal(["core", "ordering"], view.Deployments.Select(d => d.Name).Order());
        Assert.All(view.Deployments, d => Assert.True(d.Status == "up" && d.Backlog is not null, $"{d.Name}: {d.Status} ({d.Problem})"));
    }

    private async Task<HttpStatusCode> StatusAsync(Uri listener, string path, string? token)
    {
        using var response = await SendAsync(listener, path, token);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(Uri listener, string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(listener, path));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    private sealed record View(IReadOnlyList<Deployment> Deployments);

    private sealed record Deployment(string Name, string Status, object? Backlog, string? Problem);
}
