using System.Reflection;
using Modular.BuildingBlocks.Modules;

namespace Modular.BuildingBlocks.Topology;

/// <summary>A message type from one module's Contracts that another module handles (in <paramref name="HandlerType"/>).</summary>
public sealed record MessageEdge(Type MessageType, ModuleDefinition Publisher, ModuleDefinition Subscriber, Type HandlerType);

/// <summary>
/// Finds the module graph's message edges the way Wolverine finds handlers: public classes named
/// <c>*Handler</c>/<c>*Consumer</c> with <c>Handle</c>/<c>Consume</c> methods, whose message is declared in
/// another module's <c>.Contracts</c> assembly. Read from every module the binary has, hosted here or not.
/// </summary>
public static class MessageEdges
{
    private static readonly string[] HandlerMethods = ["Handle", "HandleAsync", "Consume", "ConsumeAsync"];

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

    /// <summary>Every (message type, handler class) the module's assembly declares.</summary>
    public static IEnumerable<(Type Message, Type Handler)> HandledMessageTypes(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t.IsClass && (t.Name.EndsWith("Handler", StringComparison.Ordinal) || t.Name.EndsWith("Consumer", StringComparison.Ordinal)))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => HandlerMethods.Contains(m.Name) && m.GetParameters().Length > 0)
                .Select(m => (m.GetParameters()[0].ParameterType, t)))
            .Distinct();
}
