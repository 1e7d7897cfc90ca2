using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Wolverine.Runtime;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>One message store's persisted envelopes (the deployment's own, or a module's in its own database).</summary>
public sealed record StoreCounts(string Store, int Incoming, int Scheduled, int Outgoing, int DeadLetters);

/// <summary>
/// What this deployment still has to do: messages received but not handled, scheduled for later, or not yet
/// sent. <see cref="Drained"/> is what to wait for before a cut-over or a rollback (docs/extracting-a-module.md).
/// </summary>
public sealed record PendingMessages(int Incoming, int Scheduled, int Outgoing, int DeadLetters, bool Drained, IReadOnlyList<StoreCounts> Stores);

/// <summary><c>GET /api/admin/messages</c>: the persisted inbox/outbox counts of this deployment, all instances together.</summary>
internal static class PendingMessagesEndpoint
{
    public static void MapPendingMessages(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/messages", CountAsync).WithTags("Admin").WithName("GetPendingMessages").WithSummary("Count pending messages");

    private static async Task<Ok<PendingMessages>> CountAsync(IWolverineRuntime runtime)
    {
        var stores = new List<StoreCounts>();
        foreach (var store in (await runtime.Stores.FindAllAsync()).DistinctBy(s => s.Uri))
        {
            var counts = await store.Admin.FetchCountsAsync();
            stores.Add(new StoreCounts(store.Uri.ToString(), counts.Incoming, counts.Scheduled, counts.Outgoing, counts.DeadLetter));
        }

        var (incoming, scheduled, outgoing) = (stores.Sum(s => s.Incoming), stores.Sum(s => s.Scheduled), stores.Sum(s => s.Outgoing));
        return TypedResults.Ok(new PendingMessages(incoming, scheduled, outgoing, stores.Sum(s => s.DeadLetters),
            incoming + scheduled + outgoing == 0, stores));
    }
}
