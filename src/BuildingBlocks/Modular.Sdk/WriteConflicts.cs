using JasperFx;
using JasperFx.Events;

namespace Modular.Sdk;

/// <summary>
/// One rule for "another write got there first": a stale version, a stream or document id created meanwhile (by
/// another request, or by this request's own resend), or any other unique key taken meanwhile — Marten names some
/// of these (stream and document ids) and lets others through as PostgreSQL's unique violation. Nothing was
/// committed; doing the work again on fresh data decides it. Messages that fail this way are retried after a short
/// cooldown, HTTP writes are run again (see <c>WriteRequests</c>), and a conflict that persists is answered 409.
/// A value a module declares unique (<see cref="UniqueValue"/>) is no race: <c>WriteRequests</c> answers it at once.
/// </summary>
public static class WriteConflicts
{
    /// <summary>Pauses before each new attempt: short, the other writer has already committed.</summary>
    public static readonly TimeSpan[] Cooldown =
        [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250)];

    public static bool IsConflict(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // JasperFx and Marten each have their own stream-collision type; both are the same conflict.
            if (current is ConcurrencyException or ExistingStreamIdCollisionException or DocumentAlreadyExistsException
                or Marten.Exceptions.ExistingStreamIdCollisionException or Marten.Exceptions.ConcurrentUpdateException
                or Marten.Exceptions.StreamLockedException
                or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
                return true;
        }

        return false;
    }
}
