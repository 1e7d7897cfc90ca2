using System.Net.Sockets;
using Modular.Platform.Composition.Persistence;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Modular.Platform.Composition.Messaging;

/// <summary>
/// One rule for "the infrastructure hiccuped, trying again will work": a database restarting or unreachable, a
/// broker connection dropped, a timeout. Messages that fail this way are retried with backoff long enough to ride
/// out a restart or a short network cut before anything is dead-lettered; HTTP requests that fail this way are
/// answered 503 with <c>Retry-After</c>, never 500 (see <c>docs/adr/0010</c>). Everything else is the handler's
/// own business: its policies, or a dead letter on the first attempt.
/// </summary>
public static class TransientFaults
{
    /// <summary>
    /// Waits between attempts of a message failing transiently: in memory (the message keeps its inbox row, so a
    /// crash meanwhile loses nothing), ~85 s in all, then it is dead-lettered and can be replayed.
    /// </summary>
    public static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30),
    ];

    /// <summary>How long an HTTP client is told to wait before sending the same request again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Whether any exception in the chain says the infrastructure, not the request, failed.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (IsTransientItself(current)) return true;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient)) return true;
        }

        return false;
    }

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        // Npgsql's own judgement: connection failures, timeouts, and the SQL states of a server going away or
        // coming back (57P01 admin shutdown, 57P03 not yet accepting connections, 08xxx, 53xxx, 40001, 40P01).
        NpgsqlException npgsql => npgsql.IsTransient,
        // A connection broken under an open transaction surfaces as a disposed Npgsql object (NpgsqlTransaction).
        ObjectDisposedException disposed => disposed.ObjectName.StartsWith("Npgsql", StringComparison.Ordinal),
        TimeoutException or SocketException => true,
        // The RabbitMQ client's connection and channel failures (broker restarting, connection dropped).
        _ => exception.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true,
    };

    /// <summary>
    /// The policy every handler gets: transient failures retried with <see cref="Backoff"/>, then dead-lettered.
    /// Handler-specific policies (e.g. a payment provider's) are consulted first.
    /// </summary>
    public static void Apply(WolverineOptions opts) =>
        opts.OnException(IsTransientNoted, "transient infrastructure fault").RetryWithCooldown(Backoff).Then.MoveToErrorQueue();

    /// <summary><see cref="IsTransient"/>, telling the pools first when a connection broke, so the retry gets a fresh one.</summary>
    private static bool IsTransientNoted(Exception exception)
    {
        ConnectionPools.NoteFailure(exception);
        return IsTransient(exception);
    }
}
