using System.Net.Http.Json;
using Alba;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Modular.Modules.Catalog.GrpcApi;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Integration.Platform;

/// <summary>A host whose Catalog routes allow each client 3 requests at once, refilled at 1 per second, and which lets
/// a client have 2 requests in flight at once.</summary>
public sealed class HostWithRateLimits : ModularApp
{
    protected override Task<IReadOnlyDictionary<string, string>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Modular:RateLimits:PermitsPerSecond"] = "1000",
            ["Modular:RateLimits:Modules:Catalog:PermitsPerSecond"] = "1",
            ["Modular:RateLimits:Modules:Catalog:Burst"] = "3",
            ["Modular:RateLimits:ConcurrentRequests"] = "2",
        });
}

[CollectionDefinition(Name)]
public sealed class RateLimitSuite : ICollectionFixture<HostWithRateLimits>
{
    public const string Name = "rate-limits";
}

/// <summary>Over its limit, a client gets a 429 ProblemDetails with Retry-After; other clients and modules are not held back.</summary>
[Collection(RateLimitSuite.Name)]
public sealed class RateLimitTests(HostWithRateLimits app)
{
    [Fact]
    public async Task a_client_over_a_modules_limit_gets_429_with_retry_after_and_no_one_else_does()
    {
        var alice = app.Tokens.Issue("alice", [Roles.Customer], TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++) await SendAsync(alice, "/api/catalog/products", 200); // the burst

        // The bucket refills at 1/s: within a few more requests (however slow this machine is) one is refused.
        var refused = false;
        for (var i = 0; i < 20 && !refused; i++)
        {
            var result = await SendAsync(alice, "/api/catalog/products", null);
            if (result.Context.Response.StatusCode == 200) continue;
            refused = true;
            Assert.Equal(429, result.Context.Response.StatusCode);
            Assert.Equal("application/problem+json", result.Context.Response.ContentType);
            Assert.True(int.Parse(result.Context.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            var problem = (await result.ReadAsJsonAsync<ProblemBody>())!;
            Assert.Equal("/problems/too-many-requests", problem.Type);
        }

        Assert.True(refused, "20 requests past the burst, none refused");
        await SendAsync(app.Tokens.Issue("bob", [Roles.Customer], TimeSpan.FromMinutes(5)), "/api/catalog/products", 200);
        await SendAsync(alice, "/api/ordering/orders?customerId=alice", 200);
        await SendAsync(alice, "/health/ready", 200);
    }

    [Fact]
    public async Task a_client_with_as_many_requests_in_flight_as_it_may_is_refused_the_next_until_one_ends()
    {
        // A client of its own: no other test's request can hold one of its places.
        var erin = app.Tokens.Issue("erin", [Roles.Customer], TimeSpan.FromMinutes(5));
        using var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", erin);
        // Two orders whose bodies arrive slowly (half now, the rest when released) hold their places meanwhile; then the
        // third one, on any module, is refused at once, as a rate limit is. The test's own probe may take a place before
        // the second held one arrives, which is then refused (the limiter doing its job): that round is let go and
        // started again. A limiter that does not count requests in flight never refuses the probe in any round.
        var rounds = new List<string>();
        var refused = false;
        while (!refused && rounds.Count < 5)
        {
            var release = new TaskCompletionSource();
            var held = Enumerable.Range(0, 2).Select(_ => client.PostAsync(new Uri("/api/ordering/orders", UriKind.Relative), new HeldBody(release.Task))).ToList();
            try
            {
                using var third = await SendUntilAsync(client, "/api/ordering/orders?customerId=erin", System.Net.HttpStatusCode.TooManyRequests,
                    giveUp: () => held.Any(h => h.IsCompleted));
                if (third is not null)
                {
                    refused = true;
                    Assert.Equal("/problems/too-many-requests", (await third.Content.ReadFromJsonAsync<ProblemBody>())!.Type);
                    using (var other = await client.GetAsync(new Uri("/health/ready", UriKind.Relative))) Assert.Equal(System.Net.HttpStatusCode.OK, other.StatusCode);
                    await SendAsync(app.Tokens.Issue("dave", [Roles.Customer], TimeSpan.FromMinutes(5)), "/api/ordering/orders?customerId=dave", 200);
                }
            }
            finally
            {
                release.SetResult();
            }

            var answers = new List<int>();
            foreach (var request in held)
                using (var answer = await request) answers.Add((int)answer.StatusCode); // refused: an order needs lines
            rounds.Add(string.Join("+", answers));
        }

        Assert.True(refused, $"No round refused the third request (the held ones answered {string.Join(", ", rounds)}).");
        using var after = await SendUntilAsync(client, "/api/ordering/orders?customerId=erin", System.Net.HttpStatusCode.OK, giveUp: () => false);
        Assert.NotNull(after);
    }

    /// <summary>
    /// Sends until the answer is <paramref name="status"/> (the held requests reach the limiter in their own time); null
    /// as soon as <paramref name="giveUp"/> says so. Past the deadline, the last answer must be it.
    /// </summary>
    private static async Task<HttpResponseMessage?> SendUntilAsync(HttpClient client, string url, System.Net.HttpStatusCode status, Func<bool> giveUp)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            if (response.StatusCode == status) return response;
            if (giveUp())
            {
                response.Dispose();
                return null;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, response.StatusCode);
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }

    /// <summary>A JSON body sent in two halves: the second once <paramref name="release"/> completes.</summary>
    private sealed class HeldBody : HttpContent
    {
        private static readonly byte[] Json = System.Text.Encoding.UTF8.GetBytes("{\"customerId\":\"erin\",\"idempotencyKey\":\"held\",\"lines\":[]}");
        private readonly Task _release;

        public HeldBody(Task release)
        {
            _release = release;
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Json.AsMemory(0, Json.Length / 2));
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync(Json.AsMemory(Json.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Json.Length;
            return true;
        }
    }

    [Fact]
    public async Task a_grpc_client_over_a_modules_limit_gets_resource_exhausted_with_retry_info()
    {
        using var channel = GrpcChannel.ForAddress(app.Host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = app.Host.Server.CreateHandler() });
        var products = new Products.ProductsClient(channel);
        var carol = new Metadata { { "authorization", $"Bearer {app.Tokens.Issue("carol", [Roles.Customer], TimeSpan.FromMinutes(5))}" } };

        RpcException? refused = null;
        for (var i = 0; i < 25 && refused is null; i++)
        {
            using var call = products.GetProductAsync(new GetProductRequest { Id = Guid.NewGuid().ToString() }, carol);
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync); // no such product, until the limit says otherwise
            if (error.StatusCode == StatusCode.NotFound) continue;
            refused = error;
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var status = refused.GetRpcStatus()!;
        Assert.Equal("too-many-requests", status.GetDetail<ErrorInfo>().Reason);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() >= TimeSpan.FromSeconds(1));
    }

    private Task<IScenarioResult> SendAsync(string token, string url, int? status) => app.Host.Scenario(x =>
    {
        x.Get.Url(url);
        x.WithRequestHeader("Authorization", $"Bearer {token}");
        if (status is { } expected) x.StatusCodeShouldBe(expected);
        else x.IgnoreStatusCode();
    });
}
