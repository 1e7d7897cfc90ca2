using Wolverine;

namespace Modular.Platform.Composition.Security;

/// <summary>Wolverine middleware (public, as Wolverine requires): its return value is the <see cref="Caller"/> argument of the handler it wraps.</summary>
public static class CallerArgument
{
    public static Caller Before(Envelope envelope) => Caller.Of(envelope);
}
