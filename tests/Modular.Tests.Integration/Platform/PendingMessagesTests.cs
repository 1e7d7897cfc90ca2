using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog.Contracts;
using Modular.Platform.Distribution.Operations;
using Wolverine;

namespace Modular.Tests.Integration.Platform;

[Collection(PlatformSuite.Name)]
public sealed class PendingMessagesTests(ModularApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => app.ResetAsync();

    [Fact]
    public async Task a_deployment_with_nothing_left_to_handle_or_send_is_drained()
    {
        var pending = await PendingAsync();

        Assert.True(pending.Drained);
        Assert.Equal((0, 0, 0), (pending.Incoming, pending.Scheduled, pending.Outgoing));
        Assert.NotEmpty(pending.Stores);
        Assert.Equal(["Catalog", "Ordering", "Payments"], pending.Modules.Select(m => m.Module));
        Assert.All(pending.Modules, m => Assert.Equal((0, 0, 0, 0, 0L), (m.Incoming, m.Scheduled, m.Outgoing, m.DeadLetters, m.Queued)));
    }

    [Fact]
    public async Task a_message_scheduled_for_later_keeps_the_deployment_from_being_drained()
    {
        using (var scope = app.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().ScheduleAsync(new ProductRetiredEvent(Guid.NewGuid(), DateTimeOffset.UtcNow), TimeSpan.FromHours(1));

        var pending = await PendingAsync();

        Assert.False(pending.Drained);
        Assert.Equal(1, pending.Scheduled + pending.Incoming);
        // ... and is counted for the module whose handler it waits for (Ordering keeps the catalog's read model).
        var ordering = Assert.Single(pending.Modules, m => m.Scheduled + m.Incoming > 0);
        Assert.Equal(("Ordering", 1), (ordering.Module, ordering.Scheduled + ordering.Incoming));
    }

    private async Task<PendingMessages> PendingAsync() =>
        (await (await app.Host.Scenario(x => x.Get.Url("/api/admin/messages"))).ReadAsJsonAsync<PendingMessages>())!;
}
