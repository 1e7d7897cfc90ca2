using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.Platform.Distribution.Topology;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Runtime.Handlers;

namespace Modular.Tests.Unit.Platform;

/// <summary>
/// The topology routes a message between deployments only if <see cref="MessageEdges"/> sees its handler: a handler
/// Wolverine runs but the map misses would lose its messages once its module is extracted. So the map's conventions
/// are held to the handler graph Wolverine itself builds — here over an assembly with one handler of each of
/// Wolverine's conventions (this one), and in the integration tests over the real modules.
/// </summary>
public sealed class HandlerDiscoveryTests
{
    [Fact]
    public async Task the_map_finds_exactly_the_handlers_wolverine_finds_whatever_convention_they_follow()
    {
        var assembly = typeof(HandlerConventions).Assembly;
        using var host = await Host.CreateDefaultBuilder()
            .UseWolverine(opts =>
            {
                opts.ApplicationAssembly = assembly;
                opts.Durability.Mode = DurabilityMode.MediatorOnly;
            })
            .StartAsync();

        var wolverine = WolverineHandlers(host.Services.GetRequiredService<HandlerGraph>(), assembly);
        var map = MessageEdges.HandledMessageTypes(assembly).Select(h => $"{h.Message.Name} by {h.Handler.Name}").Order().ToList();

        Assert.Equal(wolverine, map);
        // Each convention is in the comparison, so a map that missed one would fail it.
        Assert.Equal(
        [
            "ExampleA by NamedHandler", "ExampleB by NamedConsumer", "ExampleC by MarkedType", "ExampleD by MarkerInterface",
            "ExampleE by ExampleSaga", "ExampleF by ExampleSaga", "ExampleG by ExampleSaga", "ExampleH by NamedHandler",
        ], map);
    }

    /// <summary>(message, handler) of every handler call Wolverine's graph holds for types of <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<string> WolverineHandlers(HandlerGraph graph, System.Reflection.Assembly assembly) =>
        graph.Chains.SelectMany(c => c.ByEndpoint.Prepend(c)).SelectMany(c => c.Handlers)
            .Where(h => h.HandlerType.Assembly == assembly)
            .Select(h => $"{h.Method.MessageType()!.Name} by {h.HandlerType.Name}").Distinct().Order().ToList();
}

/// <summary>One handler per Wolverine convention, and look-alikes Wolverine ignores.</summary>
public static class HandlerConventions
{
    public sealed record ExampleA(Guid Id);
    public sealed record ExampleB(Guid Id);
    public sealed record ExampleC(Guid Id);
    public sealed record ExampleD(Guid Id);
    public sealed record ExampleE(Guid Id);
    public sealed record ExampleF(Guid Id);
    public sealed record ExampleG(Guid Id);
    public sealed record ExampleH(Guid Id);
    public sealed record Ignored(Guid Id);

    /// <summary>Named *Handler, a <c>Handle</c> method and a <c>HandlesAsync</c> one.</summary>
    public static class NamedHandler
    {
        public static void Handle(ExampleA message) => ArgumentNullException.ThrowIfNull(message);

        public static Task HandlesAsync(ExampleH message) => Task.CompletedTask;

        public static void Process(Ignored message) => ArgumentNullException.ThrowIfNull(message); // not a handler method name
    }

    /// <summary>Named *Consumer, an instance <c>Consume</c> method.</summary>
    public sealed class NamedConsumer
    {
        public ExampleB? Last { get; private set; }

        public Task Consume(ExampleB message)
        {
            Last = message;
            return Task.CompletedTask;
        }
    }

    /// <summary>Any name, marked <c>[WolverineHandler]</c>; a <c>Consumes</c> method.</summary>
    [WolverineHandler]
    public static class MarkedType
    {
        public static void Consumes(ExampleC message) => ArgumentNullException.ThrowIfNull(message);
    }

    /// <summary>Any name, <see cref="IWolverineHandler"/>; a method of any name marked <c>[WolverineHandler]</c>.</summary>
    public sealed class MarkerInterface : IWolverineHandler
    {
        public ExampleD? Last { get; private set; }

        [WolverineHandler]
        public void Apply(ExampleD message) => Last = message;
    }

    /// <summary>A saga: started by one message, carried on by others.</summary>
    public sealed class ExampleSaga : Saga
    {
        public Guid Id { get; set; }

        public static ExampleSaga Start(ExampleE message) => new() { Id = message.Id };

        public int Steps { get; set; }

        public void Orchestrate(ExampleF message) => Steps += message.Id == Id ? 1 : 0;

        public void Handle(ExampleG message) => MarkCompleted();
    }

    /// <summary>Named *Handler but marked <c>[WolverineIgnore]</c>: not a handler.</summary>
    [WolverineIgnore]
    public static class SwitchedOffHandler
    {
        public static void Handle(Ignored message) => ArgumentNullException.ThrowIfNull(message);
    }

    /// <summary>Named *Handler but not public: not a handler.</summary>
    internal static class HiddenHandler
    {
        public static void Handle(Ignored message) => ArgumentNullException.ThrowIfNull(message);
    }
}
