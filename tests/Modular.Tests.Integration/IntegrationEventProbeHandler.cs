using Modular.Modules.Ordering.Contracts;

namespace Modular.Tests.Integration;

/// <summary>
/// Stands in for the subscribers these events will have (notifications, analytics): with a subscriber,
/// Wolverine routes each event to a durable local queue, so the tests see it leave through the outbox.
/// </summary>
public static class IntegrationEventProbeHandler
{
    public static void Handle(OrderPlacedEvent message) => _ = message;
    public static void Handle(OrderConfirmedEvent message) => _ = message;
}
