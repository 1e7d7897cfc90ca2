using Modular.Modules.Catalog.Contracts;

namespace Modular.Tests.Integration;

/// <summary>
/// Stands in for the modules that will subscribe to Catalog's events: with a subscriber, Wolverine
/// routes each event to a durable local queue, so the tests see it leave through the outbox.
/// </summary>
public static class IntegrationEventProbeHandler
{
    public static void Handle(ProductAddedEvent message) => _ = message;
    public static void Handle(ProductPriceChangedEvent message) => _ = message;
    public static void Handle(ProductRetiredEvent message) => _ = message;
}
