using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Tests.Support;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// <c>make extract</c> and <c>make bring-back</c> as a user runs them (eng/move.sh): the front and the monolith behind it,
/// Ordering moved out and back, while a shop keeps ordering through the front; every order it placed is Confirmed.
/// </summary>
[Collection(EndToEndSuite.Name)] // it listens on fixed ports (the front's and its slots')
public sealed class MoveCommandTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Created(Guid Id);

    private sealed record Order(Guid Id, string Status);

    [Fact]
    public async Task make_extract_and_make_bring_back_move_ordering_while_a_shop_keeps_ordering()
    {
        await using var database = await TestDatabase.CreateAsync("move-command");
        var front = new Uri("http://127.0.0.1:5200");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Modular__Database__RoleSecret"] = Topology.RoleSecret,
            ["Modular__Authentication__SigningKey"] = Topology.SigningKey,
            ["MODULAR_URL"] = front.ToString().TrimEnd('/'),
        };
        using var http = new HttpClient { BaseAddress = front, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Topology.DeveloperTokenAsync());
        var accepted = new ConcurrentQueue<Guid>();
        using var stopShop = new CancellationTokenSource();
        var shop = Task.Run(() => ShopAsync(http, accepted, stopShop.Token));
        try
        {
            var extracted = await MakeAsync(environment, "extract", "MODULE=Ordering");
            Assert.Contains("make extract: extracted Ordering over PostgreSQL", extracted, StringComparison.Ordinal);
            var countAfterExtract = accepted.Count;
            var broughtBack = await MakeAsync(environment, "bring-back", "MODULE=Ordering");
            Assert.Contains("make bring-back: brought Ordering back", broughtBack, StringComparison.Ordinal);
            await ShopClient.EventuallyAsync(() => Task.FromResult(accepted.Count > countAfterExtract + 10),
                "the shop placed no order through the front after the move back");
            await stopShop.CancelAsync();
            await shop;

            output.WriteLine($"{accepted.Count} orders accepted through the front");
            Assert.True(accepted.Count > 20, $"only {accepted.Count} orders were accepted while the module moved");
            foreach (var id in accepted)
                await ShopClient.EventuallyAsync(async () =>
                        (await http.GetFromJsonAsync<Order>($"/api/ordering/orders/{id}", Json))?.Status == "Confirmed",
                    $"order {id} was accepted but never Confirmed");
        }
        finally
        {
            await stopShop.CancelAsync();
            output.WriteLine(await MakeAsync(environment, "move-stop"));
        }
    }

    /// <summary>Orders through the front, each sent again with its key until it is accepted, until told to stop.</summary>
    private static async Task ShopAsync(HttpClient http, ConcurrentQueue<Guid> accepted, CancellationToken stop)
    {
        Guid? product = null;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = $"move-command-{i}";
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    product ??= (await (await http.PostAsJsonAsync("/api/catalog/products",
                        new { sku = "MOVE-CMD", name = "Moving widget", price = new { amount = 5m, currency = "EUR" } }, stop))
                        .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Created>(Json, stop))!.Id;
                    using var response = await http.PostAsJsonAsync("/api/ordering/orders", new
                    {
                        customerId = "mover", idempotencyKey = key, lines = new[] { new { productId = product, quantity = 1 } },
                    }, stop);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        accepted.Enqueue((await response.Content.ReadFromJsonAsync<Created>(Json, stop))!.Id);
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // not serving yet (the front starts with the command), or a connection cut: the same order again
                }

                await Task.Delay(200, CancellationToken.None);
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private async Task<string> MakeAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var result = await Tool.RunAsync("make", ["-s", .. arguments], Tool.RepositoryRoot(), TimeSpan.FromMinutes(5), environment);
        output.WriteLine($"make {string.Join(' ', arguments)}:\n{result.Output}\n{result.Error}");
        Assert.True(result.ExitCode == 0, $"make {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        return result.Output;
    }
}
