using Alba;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Modular.Modules.Catalog.GrpcApi;
using Modular.BuildingBlocks.Composition.Security;

namespace Modular.Tests.Integration.Platform;

/// <summary>A host whose Catalog routes allow each client 3 requests at once, refilled at 1 per second.</summary>
public sealed class HostWithRateLimits : ModularApp
{
    protected override Task<IReadOnlyDictionary<string, string>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Modular:RateLimits:PermitsPerSecond"] = "1000",
            ["Modular:RateLimits:Modules:Catalog:PermitsPerSecond"] = "1",
            ["Modular:RateLimits:Modules:Catalog:Burst"] = "3",
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
    public async Task a_grpc_client_over_a_modules_limit_gets_resource_exhausted_with_retry_info()
    {
        using var channel = GrpcChannel.ForAddress(app.Host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = app.Host.Server.CreateHandler() });
        var products = new Products.ProductsClient(channel);
        var carol = new Metadata { { "authorization", $"Bearer {app.Tokens.Issue("carol", [Roles.Customer], TimeSpan.FromMinutes(5))}" } };

        RpcException? refused = null;
        for (var i = 0; i < 25 && refused is null; i++)
        {
            var call = products.GetProductAsync(new GetProductRequest { Id = Guid.NewGuid().ToString() }, carol).ResponseAsync;
            var error = await Assert.ThrowsAsync<RpcException>(() => call); // no such product, until the limit says otherwise
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
