// Deliberately broken code: each namespace breaks one module rule, so RulesCanFailTests can show the
// rule notices. Nothing here runs.
#pragma warning disable CA1812, CA1822, CA1034

namespace Modular.Tests.Architecture.BadExamples.BuildingBlocks
{
    public sealed class KnowsTheCatalog
    {
        public Modular.Modules.Catalog.CatalogModule Module { get; } = new();
    }
}

namespace Modular.Tests.Architecture.BadExamples.OtherModule
{
    /// <summary>Reaches into another module's internals instead of its Contracts.</summary>
    public sealed class ReadsCatalogDocuments
    {
        public Modular.Modules.Catalog.Product? Product { get; set; }
    }

    /// <summary>An integration event declared outside Contracts.</summary>
    public sealed record OrderShippedEvent(Guid OrderId);
}

namespace Modular.Tests.Architecture.BadExamples.Contracts
{
    /// <summary>Contracts that drag in the framework.</summary>
    public sealed record LeakyCommand(Modular.Sdk.FieldErrors Errors);

    public sealed class MutableThingHappenedEvent
    {
        public Guid Id { get; set; }
    }

    public record UnsealedThingHappenedEvent(Guid Id);

    public sealed record SettableThingHappenedEvent(Guid Id)
    {
        public string Note { get; set; } = "";
    }
}

namespace Modular.Tests.Architecture.BadExamples.Endpoints
{
    /// <summary>An endpoint that says nothing about who may call it, beside two that do.</summary>
    public static class UnguardedEndpoint
    {
        [Wolverine.Http.WolverineGet("/api/bad/unguarded")]
        public static string Get() => "anyone";
    }

    public static class GuardedEndpoint
    {
        [Wolverine.Http.WolverineGet("/api/bad/guarded")]
        [Microsoft.AspNetCore.Authorization.Authorize("bad:read")]
        public static string Get() => "some";
    }

    [Microsoft.AspNetCore.Authorization.AllowAnonymous]
    public static class OpenEndpoint
    {
        [Wolverine.Http.WolverineGet("/api/bad/open")]
        public static string Get() => "everyone";
    }
}

namespace Modular.Tests.Architecture.BadExamples.Versions
{
    /// <summary>A message published again in a new version, with the upcaster from the old one: fine.</summary>
    public sealed record PartMovedEvent(Guid PartId);

    public sealed record PartMovedEventV2(Guid PartId, string Bin)
    {
        public static PartMovedEventV2 From(PartMovedEvent previous) => new(previous.PartId, "unknown");
    }

    /// <summary>A new version with no way from the old one: old messages in flight could not be read as new ones.</summary>
    public sealed record ThingMovedEvent(Guid ThingId);

    public sealed record ThingMovedEventV2(Guid ThingId, string Place);
}

// BuildingBlocks' layers (LayerRules), broken three ways: Composition using Distribution, Composition using the host,
// and two Composition namespaces using each other.
namespace Modular.Tests.Architecture.BadExamples.Layers
{
    public static class Host
    {
        public static string Title => "bad";
    }
}

namespace Modular.Tests.Architecture.BadExamples.Layers.Distribution.Gateway
{
    public sealed record Route(string Path);
}

namespace Modular.Tests.Architecture.BadExamples.Layers.Composition.Http
{
    public sealed class KnowsTheGateway
    {
        public Distribution.Gateway.Route? Route { get; set; }
    }

    public sealed class KnowsTheHost
    {
        public string Title { get; } = Host.Title;
    }

    public sealed record Endpoint(Modules.ShopModule Owner);
}

namespace Modular.Tests.Architecture.BadExamples.Layers.Composition.Modules
{
    public sealed class ShopModule
    {
        public IReadOnlyList<Http.Endpoint> Endpoints { get; } = [];
    }
}

namespace Modular.Tests.Architecture.BadExamples.Layers.Escaped
{
    public sealed record OutsideEveryLayer;
}

// Handlers of a new version: one keeps handling the old version (through the upcaster), one forgot it.
namespace Modular.Tests.Architecture.BadExamples.VersionHandlers
{
    public static class PartMovedEventHandler
    {
        public static void Handle(Versions.PartMovedEventV2 moved) => _ = moved;

        public static void Handle(Versions.PartMovedEvent old) => Handle(Versions.PartMovedEventV2.From(old));
    }

    public static class ForgetfulPartMovedEventHandler
    {
        public static void Handle(Versions.PartMovedEventV2 moved) => _ = moved;
    }
}
