using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Modular.Platform.Composition.Security;

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
