using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// Bodies past the limit (1 MiB) against the real server, as a hostile client sends them: 20 MB of order lines, with
/// a declared length (refused before a byte is read) and chunked (Kestrel stops reading at the limit). Each is a 413
/// in the catalogue's shape, nothing is validated line by line, and the process does not grow with them.
/// </summary>
public sealed class RequestLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task twenty_megabyte_orders_are_413s_and_the_process_does_not_grow()
    {
        await using var database = await TestDatabase.CreateAsync("limits");
        await using var host = new HostProcess("monolith", Server.FreeLoopbackPort());
        host.Start([$"--ConnectionStrings:Postgres={database.ConnectionString}", $"--Modular:Authentication:SigningKey={Topology.SigningKey}"]);
        await host.WaitUntilReadyAsync(Patience);
        using var http = new HttpClient { BaseAddress = host.Url, Timeout = Patience };

        // ~20 MB: 310,000 lines, each wrong twice over (empty product id, quantity 0).
        var line = """{"productId":"00000000-0000-0000-0000-000000000000","quantity":0}""";
        var body = Path.Combine(Path.GetTempPath(), $"modular-big-order-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(body, $$"""{"customerId":"alice","idempotencyKey":"big","lines":[{{string.Join(',', Enumerable.Repeat(line, 310_000))}}]}""");
        Assert.True(new FileInfo(body).Length > 20_000_000);
        var token = await Topology.DeveloperTokenAsync();

        // First the endpoint's and the refusals' own first-use costs (code generation, JIT), so the count below is theirs.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/ordering/orders",
            new { customerId = "alice", idempotencyKey = "small", lines = new[] { new { productId = Guid.Empty, quantity = 0 } } })).StatusCode);
        foreach (var chunked in new[] { false, true }) await AssertTooLargeAsync(host.Url, token, body, chunked);
        var before = ResidentMegabytes(host.ProcessId);

        for (var round = 0; round < 4; round++)
            foreach (var chunked in new[] { false, true })
                await AssertTooLargeAsync(host.Url, token, body, chunked);

        var growth = ResidentMegabytes(host.ProcessId) - before;
        Assert.True(growth < 50, $"the process grew {growth} MB over eight 20 MB bodies");
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from ordering.mt_events"));
        File.Delete(body);
    }

    /// <summary>
    /// Sent with curl, as a user would: it reads the server's early answer while still sending (HttpClient stops at the
    /// broken pipe instead), and asks before sending a large body with a declared length (<c>Expect: 100-continue</c>).
    /// </summary>
    private static async Task AssertTooLargeAsync(Uri url, string token, string bodyFile, bool chunked)
    {
        string[] headers = ["-H", $"Authorization: Bearer {token}", "-H", "Content-Type: application/json"];
        if (chunked) headers = [.. headers, "-H", "Transfer-Encoding: chunked"];
        var result = await Tool.RunAsync("curl", ["-sS", "-w", "\n%{http_code} %{content_type}", .. headers, "--data-binary", $"@{bodyFile}",
            new Uri(url, "/api/ordering/orders").ToString()], timeout: Patience);
        var what = chunked ? "chunked" : "declared length";
        Assert.True(result.ExitCode == 0, $"{what}: curl {result.ExitCode} {result.Error}");
        var text = result.Output[..result.Output.LastIndexOf('\n')];
        Assert.Equal($"413 application/problem+json", result.Output[(result.Output.LastIndexOf('\n') + 1)..]);
        Assert.Contains("\"type\":\"/problems/payload-too-large\"", text, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Request body too large.\"", text, StringComparison.Ordinal);
        Assert.Contains("at most 1,048,576 bytes", text, StringComparison.Ordinal);
        Assert.True(text.Length < 1_000, text);
    }

    private static long ResidentMegabytes(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
