using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Runtime.Handlers;

namespace Modular.BuildingBlocks.Composition.Security;

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

/// <summary>
/// The framework policy that moves the caller along (ADR 0013). Wolverine relays the subject itself
/// (<c>EnableRelayOfUserName</c>: request principal → message context → every outgoing envelope → Marten's
/// last-modified-by); this rule adds the client id beside it: from the message being handled, else from the request.
/// </summary>
internal sealed class CallerRelay : IEnvelopeRule
{
    private readonly HttpContextAccessor _request = new();

    public void Modify(Envelope envelope)
    {
        // Outside a handler or request there is no caller to relay.
    }

    public void ApplyCorrelation(IMessageContext originator, Envelope outgoing)
    {
        if (outgoing.Headers.ContainsKey(Caller.ClientIdHeader)) return;
        var client = originator.Envelope is { } incoming
            ? incoming.Headers.TryGetValue(Caller.ClientIdHeader, out var relayed) ? relayed : null
            : Caller.Of(_request.HttpContext?.User).ClientId;
        if (client is not null) outgoing.Headers[Caller.ClientIdHeader] = client;
    }

    public static void Apply(WolverineOptions opts)
    {
        opts.Services.AddHttpContextAccessor(); // without it, ASP.NET Core does not publish the request to the accessor
        opts.EnableRelayOfUserName = true;
        opts.MetadataRules.Add(new CallerRelay());
        // A handler that asks for a Caller gets the one its envelope carries.
        opts.Policies.AddMiddleware(typeof(CallerArgument), chain => chain.Handlers.Any(h => h.Method.GetParameters().Any(p => p.ParameterType == typeof(Caller))));
    }
}

/// <summary>Wolverine middleware (public, as Wolverine requires): its return value is the <see cref="Caller"/> argument of the handler it wraps.</summary>
public static class CallerArgument
{
    public static Caller Before(Envelope envelope) => Caller.Of(envelope);
}

internal static class CallerHeaderStripping
{
    /// <summary>Removes <see cref="Caller.ForgeableHeaders"/> from every request before anything reads or forwards it.</summary>
    public static IApplicationBuilder UseCallerHeaderStripping(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            foreach (var header in Caller.ForgeableHeaders) context.Request.Headers.Remove(header);
            return next(context);
        });
}
