using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Persistence;

namespace Modular.Platform.Composition.Http;

/// <summary>
/// What every request that changes state gets, whatever the endpoint:
/// <list type="bullet">
/// <item>It runs to the end even when its client hangs up. Otherwise the disconnect cancels it between its commit
/// and the hand-over of the messages it stored to their local queues: the data is saved, but its messages wait in
/// the inbox until the durability agent finds them stale.</item>
/// <item>It runs again, on fresh data, when it lost a race with another write (<see cref="WriteConflicts"/>): nothing
/// was committed, and a request racing its own resend (same idempotency key) then finds the order the first one
/// placed instead of failing. A conflict that outlasts <see cref="WriteConflicts.Cooldown"/> is answered 409.</item>
/// </list>
/// Reads are left alone: they stop when their client leaves, and a failed read commits nothing. gRPC calls are left
/// alone too: their writes get both rules from <see cref="ModuleWrites{TStore}"/>.
/// </summary>
internal static class WriteRequests
{
    public static IApplicationBuilder UseWriteRequestPolicies(this IApplicationBuilder app) =>
        app.Use(next => async context =>
        {
            var method = context.Request.Method;
            // gRPC calls run their writes through ModuleWrites, which gives them the same two rules.
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
                || InputGuard.IsGrpc(context.Request))
            {
                await next(context);
                return;
            }

            context.RequestAborted = CancellationToken.None;
            context.Request.EnableBuffering(); // to read the body again on a new attempt
            foreach (var pause in WriteConflicts.Cooldown)
            {
                try
                {
                    await next(context);
                    return;
                }
                // A declared unique value already taken is no race: another attempt finds it taken again.
                catch (Exception e) when (WriteConflicts.IsConflict(e) && !IsTakenValue(e, context) && !context.Response.HasStarted)
                {
                    await Task.Delay(pause, CancellationToken.None);
                    context.Request.Body.Position = 0;
                }
            }

            await next(context); // the last attempt: a conflict now goes to the exception handler (409)
        });

    private static bool IsTakenValue(Exception exception, HttpContext context) =>
        UniqueValue.TakenIn(exception, context.RequestServices.GetRequiredService<ActiveModules>().UniqueValues) is not null;
}
