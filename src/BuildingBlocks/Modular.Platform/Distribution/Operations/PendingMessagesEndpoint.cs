using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Modular.Platform.Composition.Security;
using Modular.Platform.Distribution.Handover;
using Wolverine.Runtime;

namespace Modular.Platform.Distribution.Operations;

/// <summary><c>GET /api/admin/messages</c>: this deployment's queues and persisted inbox/outbox, all instances together.</summary>
internal static class PendingMessagesEndpoint
{
    public static void MapPendingMessages(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/messages", CountAsync).WithTags("Admin").WithName("GetPendingMessages").WithSummary("Count pending messages")
            .RequireAuthorization(PlatformPermissions.Admin);

    private static async Task<Ok<PendingMessages>> CountAsync(IWolverineRuntime runtime, BacklogReader backlog, MessageHandover handover,
        CancellationToken ct)
    {
        var stores = new List<StoreCounts>();
        foreach (var store in (await runtime.Stores.FindAllAsync()).DistinctBy(s => s.Uri))
        {
            var counts = await store.Admin.FetchCountsAsync();
            stores.Add(new StoreCounts(store.Uri.ToString(), counts.Incoming, counts.Scheduled, counts.Outgoing, counts.DeadLetter));
        }

        var queues = await backlog.CountTransportQueuesAsync(ct);
        var modules = await backlog.ReadAsync(ct, queues);
        var (queued, incoming, scheduled, outgoing) =
            (queues.Sum(q => q.Waiting), stores.Sum(s => s.Incoming), stores.Sum(s => s.Scheduled), stores.Sum(s => s.Outgoing));
        var elsewhere = await handover.CountHeldElsewhereAsync(ct);
        return TypedResults.Ok(new PendingMessages(queued, incoming, scheduled, outgoing, elsewhere, stores.Sum(s => s.DeadLetters),
            queued + incoming + scheduled + outgoing + elsewhere == 0, queues, stores, modules));
    }
}
