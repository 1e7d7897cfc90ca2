using Alba;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// The module fence (ADR 0029), as a data move sets it: a row in <c>modular.module_fences</c> of the module's database and
/// a notification. The fenced module answers 503 with Retry-After and does nothing; the others serve; its messages wait
/// and are handled once the fence is lifted.
/// </summary>
[Collection(PlatformSuite.Name)]
public sealed class ModuleFenceTests(ModularApp app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task a_fenced_module_answers_503_with_retry_after_does_nothing_and_its_messages_wait_for_the_fence_to_lift()
    {
        await FenceOrderingAsync(true);
        try
        {
            var refused = await EventuallyAsync(async () =>
                await app.Host.Scenario(x => { x.Get.Url("/api/ordering/orders?customerId=fence"); x.IgnoreStatusCode(); }) is
                    { Context.Response.StatusCode: 503 } result ? result : null);
            Assert.Equal("1", refused.Context.Response.Headers.RetryAfter.ToString());
            Assert.Equal("Ordering", refused.Context.Response.Headers["Modular-Fenced"].ToString());
            Assert.Equal("application/problem+json", refused.Context.Response.ContentType);
            var problem = (await refused.ReadAsJsonAsync<ProblemBody>())!;
            Assert.Equal("/problems/unavailable", problem.Type);
            Assert.Contains("Ordering", problem.Detail, StringComparison.Ordinal);

            // The other modules serve, so the process stays ready; its readiness says what is fenced.
            var ready = await (await app.Host.Scenario(x => x.Get.Url("/health/ready"))).ReadAsTextAsync();
            Assert.Contains("fenced while its data moves: Ordering", ready, StringComparison.Ordinal);

            // Catalog announces a product; Ordering's handler is fenced: the message waits, nothing is written.
            var sku = $"FENCE-{Guid.NewGuid():N}"[..16].ToUpperInvariant();
            await app.Host.Scenario(x =>
            {
                x.Post.Json(new AddProduct(sku, "Fenced", new Money(4m, "EUR"))).ToUrl("/api/catalog/products");
                x.StatusCodeShouldBe(201);
            });
            // Ordering's handler was tried, refused by the fence, and its message put back to wait (scheduled, in the inbox).
            await EventuallyAsync(async () => await app.Database.ScalarAsync<long>("""
                SELECT count(*) FROM wolverine.wolverine_incoming_envelopes
                WHERE message_type LIKE '%.ProductAddedEvent' AND status = 'Scheduled' AND attempts >= 1
                """) > 0 ? "waiting" : null);
            Assert.Equal(0, await OrderingKnowsAsync(sku));

            await FenceOrderingAsync(false);
            await EventuallyAsync(async () => await OrderingKnowsAsync(sku) == 1 ? "handled" : null);
        }
        finally
        {
            await FenceOrderingAsync(false);
            await EventuallyAsync(async () =>
                (await app.Host.Scenario(x => { x.Get.Url("/api/ordering/orders?customerId=fence"); x.IgnoreStatusCode(); })).Context.Response
                .StatusCode == 200 ? "served" : null);
        }
    }

    private async Task<long> OrderingKnowsAsync(string sku) =>
        await app.Database.ScalarAsync<long>($"select count(*) from ordering.mt_doc_catalogproduct where data->>'Sku' = '{sku}'");

    /// <summary>What <c>move-data</c> does to fence a module in a database, or lift its fence.</summary>
    private async Task FenceOrderingAsync(bool fenced) => await app.Database.ExecuteAsync($"""
        CREATE SCHEMA IF NOT EXISTS modular;
        CREATE TABLE IF NOT EXISTS modular.module_fences (module text PRIMARY KEY, since timestamptz NOT NULL DEFAULT now());
        GRANT USAGE ON SCHEMA modular TO PUBLIC;
        GRANT SELECT ON modular.module_fences TO PUBLIC;
        {(fenced ? "INSERT INTO modular.module_fences (module) VALUES ('Ordering') ON CONFLICT DO NOTHING" : "DELETE FROM modular.module_fences")};
        NOTIFY modular_fences;
        """);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Nothing after {Patience.TotalSeconds:0} s.");
            await Task.Delay(50);
        }
    }
}
