using System.Net.Http.Headers;
using System.Net.Http.Json;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// <c>Modular:Database:ApplyChangesOnStartup=false</c>: the schema is a release step's (<c>resources setup</c>), not each
/// process's. A process started so on an empty database leaves it empty and stops, naming the step; after the release
/// step the whole flow works.
/// </summary>
public sealed class SchemaSetupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task a_process_that_leaves_the_schema_to_resources_setup_stops_on_an_empty_database_and_serves_what_setup_made()
    {
        await using var database = await TestDatabase.CreateAsync("schema-setup");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Modular__Authentication__SigningKey"] = Topology.SigningKey,
            ["Modular__Database__ApplyChangesOnStartup"] = "false",
        };
        string[] settings = [.. environment.Select(e => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}")];
        const string tables = "select count(*) from information_schema.tables where table_schema in ('catalog', 'ordering', 'payments', 'wolverine')";

        await using (var refused = new HostProcess("monolith", Server.FreeLoopbackPort()))
        {
            refused.Start(settings);
            await refused.WaitForExitAsync(Patience);
            Assert.Equal(1, refused.ExitCode); // a supervisor sees the failure (not 0, as JasperFx's runner returned)
            Assert.Contains("Modular: could not start: The Wolverine message storage for database 'default' is missing", refused.Output, StringComparison.Ordinal);
            Assert.Contains("Run 'resources setup'", refused.Output, StringComparison.Ordinal);
            Assert.Equal(0, await database.ScalarAsync<long>(tables));
        }

        (await Tool.RunAsync("dotnet", [HostProcess.BuiltHostAssembly, "resources", "setup"], timeout: Patience, environment: environment))
            .EnsureSuccess("resources setup");
        Assert.True(await database.ScalarAsync<long>(tables) > 0);

        await using var host = new HostProcess("monolith", Server.FreeLoopbackPort());
        host.Start(settings);
        await host.WaitUntilReadyAsync(Patience);
        using var http = new HttpClient { BaseAddress = host.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Topology.DeveloperTokenAsync());
        var product = await (await http.PostAsJsonAsync("/api/catalog/products",
            new { sku = "SETUP-1", name = "Set up", price = new { amount = 5m, currency = "EUR" } })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Created>();
        Created? order = null;
        await ShopClient.EventuallyAsync(async () => // until Ordering's read model has the product
        {
            var placed = await http.PostAsJsonAsync("/api/ordering/orders",
                new { customerId = "setup", idempotencyKey = "setup-1", lines = new[] { new { productId = product!.Id, quantity = 1 } } });
            order = placed.IsSuccessStatusCode ? await placed.Content.ReadFromJsonAsync<Created>() : null;
            return order is not null;
        }, () => "the order was never accepted", Patience);
        await ShopClient.EventuallyAsync(async () =>
            (await http.GetFromJsonAsync<Placed>($"/api/ordering/orders/{order!.Id}"))!.Status == "Confirmed", () => "the order was never confirmed", Patience);
    }

    private sealed record Created(Guid Id);

    private sealed record Placed(Guid Id, string Status);
}
