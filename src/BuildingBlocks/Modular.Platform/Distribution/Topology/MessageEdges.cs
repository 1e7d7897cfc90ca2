using System.Reflection;
using Modular.Platform.Composition.Modules;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Runtime.Handlers;

namespace Modular.Platform.Distribution.Topology;

/// <summary>A message type from one module's Contracts that another module handles (in <paramref name="HandlerType"/>).</summary>
public sealed record MessageEdge(Type MessageType, ModuleDefinition Publisher, ModuleDefinition Subscriber, Type HandlerType);

/// <summary>
/// Finds the module graph's message edges with Wolverine's own handler conventions (<see cref="HandledMessageTypes"/>):
/// a handler whose message is declared in another module's <c>.Contracts</c> assembly is an edge. Read from every
/// module the binary has, hosted here or not, before any host is built (the transport routes depend on them). A test
/// holds these conventions to the handler graph Wolverine builds (HandlerDiscoveryTests, ModuleMapTests).
/// </summary>
public static class MessageEdges
{
    /// <summary>Wolverine's handler method names (each also with <c>Async</c>), sagas' included.</summary>
    private static readonly string[] HandlerMethods =
    [
        "Handle", "Handles", "Consume", "Consumes", "Orchestrate", "Orchestrates", "Start", "Starts", "StartOrHandle",
        "StartsOrHandles", "NotFound",
    ];

    public static IReadOnlyList<MessageEdge> Find(IReadOnlyList<ModuleDefinition> modules)
    {
        var publisherByContracts = modules.ToDictionary(m => m.Assembly.GetName().Name + ".Contracts", StringComparer.Ordinal);
        return modules
            .SelectMany(subscriber => HandledMessageTypes(subscriber.Assembly)
                .Select(h => (h.Message, h.Handler, publisher: publisherByContracts.GetValueOrDefault(h.Message.Assembly.GetName().Name!), subscriber)))
            .Where(e => e.publisher is not null && e.publisher != e.subscriber)
            .Select(e => new MessageEdge(e.Message, e.publisher!, e.subscriber, e.Handler))
            .Distinct()
            .OrderBy(e => e.Publisher.Name).ThenBy(e => e.MessageType.Name).ThenBy(e => e.Subscriber.Name)
            .ToList();
    }

    /// <summary>
    /// Every (message type, handler class) the assembly declares, found as Wolverine finds them: public classes named
    /// <c>*Handler</c> or <c>*Consumer</c>, sagas, <see cref="IWolverineHandler"/>s and classes marked
    /// <c>[WolverineHandler]</c> (not <c>[WolverineIgnore]</c>); their public methods named as Wolverine's handler
    /// methods (<c>Handle</c>, <c>Handles</c>, <c>Consume</c>, saga <c>Start</c>/<c>Orchestrate</c>/…, each also with
    /// <c>Async</c>) or marked <c>[WolverineHandler]</c>; the message is the first parameter.
    /// </summary>
    public static IEnumerable<(Type Message, Type Handler)> HandledMessageTypes(Assembly assembly) =>
        assembly.GetTypes()
            .Where(IsHandlerType)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)
                .Where(IsHandlerMethod)
                .Select(m => (m.MessageType()!, t)))
            .Distinct();

    private static bool IsHandlerType(Type type) =>
        type is { IsClass: true, ContainsGenericParameters: false }
        && (!type.IsAbstract || type.IsSealed) // static classes are abstract and sealed
        && (type.IsPublic || type.IsNestedPublic)
        && !type.IsDefined(typeof(WolverineIgnoreAttribute), inherit: false)
        && (type.Name.EndsWith("Handler", StringComparison.Ordinal) || type.Name.EndsWith("Consumer", StringComparison.Ordinal)
            || typeof(Saga).IsAssignableFrom(type) || typeof(IWolverineHandler).IsAssignableFrom(type)
            || type.IsDefined(typeof(WolverineHandlerAttribute), inherit: false));

    private static bool IsHandlerMethod(MethodInfo method) =>
        (HandlerMethods.Any(name => method.Name == name || method.Name == name + "Async") || method.IsDefined(typeof(WolverineHandlerAttribute)))
        && method.DeclaringType != typeof(object) && method.Name is not ("Dispose" or "DisposeAsync")
        && !method.ContainsGenericParameters && !method.IsSpecialName && !method.IsDefined(typeof(WolverineIgnoreAttribute))
        && method.GetParameters().Length > 0 && method.MessageType() is not null
        && (method.ReturnType == typeof(void) || !method.ReturnType.IsPrimitive);
}
