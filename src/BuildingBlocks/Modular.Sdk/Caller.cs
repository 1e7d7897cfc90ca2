using System.Security.Claims;
using Wolverine;

namespace Modular.Sdk;

/// <summary>
/// Who a piece of work is done for: the authenticated subject of the request that started it, and the OAuth client
/// it came through. An HTTP request's caller is its validated token; every message cascaded from it carries the
/// same caller in its envelope (<c>user-name</c>, <c>modular-client-id</c>) — in process, over RabbitMQ and
/// PostgreSQL queues, through retries, dead letters and replays — so a handler in any deployment can ask for it:
/// <c>Handle(SomeEvent e, Caller caller)</c>. Module stores record the subject with what it changes (Marten's
/// <c>last_modified_by</c>, the events' <c>user_name</c>). Work nobody asked for (a timer, a system message) has
/// <see cref="Nobody"/> as its caller. ADR 0013.
/// </summary>
public sealed record Caller(string? Subject, string? ClientId)
{
    /// <summary>The envelope header that carries the caller's client id (the subject rides in Wolverine's own <c>user-name</c>).</summary>
    public const string ClientIdHeader = "modular-client-id";

    /// <summary>The token claim naming the OAuth client (RFC 9068); <c>azp</c> where an issuer uses that instead.</summary>
    public const string ClientIdClaim = "client_id";

    /// <summary>
    /// Request headers that name a caller in an envelope's words. Nothing reads them from a request; every deployment
    /// (the gateway first) removes them anyway, so no client can pass one to a module behind it.
    /// </summary>
    public static IReadOnlyList<string> ForgeableHeaders { get; } = ["user-name", ClientIdHeader];

    public static Caller Nobody { get; } = new(null, null);

    public static Caller Of(Envelope? envelope) => envelope?.UserName is { Length: > 0 } subject
        ? new Caller(subject, envelope.Headers.TryGetValue(ClientIdHeader, out var client) ? client : null)
        : Nobody;

    public static Caller Of(ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true
        ? new Caller(Ownership.SubjectOf(user) is { Length: > 0 } s ? s : null,
            user.FindFirst(ClientIdClaim)?.Value ?? user.FindFirst("azp")?.Value)
        : Nobody;

    public override string ToString() => Subject is null ? "nobody" : ClientId is null ? Subject : $"{Subject} (via {ClientId})";
}
