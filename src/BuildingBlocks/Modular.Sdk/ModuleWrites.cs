using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Http.Runtime;
using Wolverine.Marten;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Modular.Sdk;

/// <summary>
/// A write to a module's store outside a Wolverine endpoint or handler (a gRPC call), with what Wolverine's generated
/// code gives those: one session on the module's store whose outbox carries the messages the write cascades, saved in
/// one transaction and handed to their queues after the commit; and what <c>WriteRequests</c> gives every REST write:
/// it runs to the end even when the caller hangs up, and runs again on fresh data when it lost a race
/// (<see cref="WriteConflicts"/>), a declared unique value already taken aside.
/// </summary>
public sealed class ModuleWrites<TStore>(OutboxedSessionFactory<TStore> sessions, IWolverineRuntime runtime,
    IEnumerable<UniqueValue> uniqueValues, IHttpContextAccessor request) where TStore : IDocumentStore
{
    private readonly UniqueValue[] _declared = uniqueValues.ToArray(); // every module's, registered one by one by the host

    public async Task<T> RunAsync<T>(Func<ModuleWrite, Task<T>> write)
    {
        foreach (var pause in WriteConflicts.Cooldown)
        {
            try
            {
                return await RunOnceAsync(write);
            }
            catch (Exception e) when (WriteConflicts.IsConflict(e) && UniqueValue.TakenIn(e, _declared) is null)
            {
                await Task.Delay(pause, CancellationToken.None);
            }
        }

        return await RunOnceAsync(write); // the last attempt: a conflict now is answered (Aborted, as REST's 409)
    }

    private async Task<T> RunOnceAsync<T>(Func<ModuleWrite, Task<T>> write)
    {
        var context = new MessageContext(runtime);
        if (request.HttpContext is { } http) UserNameMiddleware.Apply(http, context);
        await using var session = ((OutboxedSessionFactory)sessions).OpenSession(context);
        var result = await write(new ModuleWrite(session, context));
        await session.SaveChangesAsync(CancellationToken.None);
        // Marten's commit hands the outbox over; this covers a write that ended up changing nothing (Wolverine does the same).
        await context.FlushOutgoingMessagesAsync();
        return result;
    }
}

/// <summary>One attempt of a <see cref="ModuleWrites{TStore}"/> write: its session, and where its decisions go.</summary>
public sealed class ModuleWrite(IDocumentSession session, MessageContext messages)
{
    public IDocumentSession Session { get; } = session;

    /// <summary>What a use case decided: the messages it cascades (one, several, or an <c>OutgoingMessages</c>) and its Marten operation.</summary>
    public async Task ApplyAsync(object? cascading, IMartenOp? operation)
    {
        if (cascading is not null) await messages.EnqueueCascadingAsync(cascading);
        operation?.Execute(Session);
    }
}
