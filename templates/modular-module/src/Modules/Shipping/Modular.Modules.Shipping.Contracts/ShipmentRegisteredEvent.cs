namespace Modular.Modules.Shipping.Contracts;

/// <summary>A shipment was registered. Published for other modules; change it only by adding (README: Evolving a contract).</summary>
public sealed record ShipmentRegisteredEvent(Guid ShipmentId, string Reference, DateTimeOffset RegisteredAt);
