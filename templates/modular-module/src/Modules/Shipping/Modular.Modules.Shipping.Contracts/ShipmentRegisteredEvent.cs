namespace Modular.Modules.Shipping.Contracts;

/// <summary>One shipment was registered. Published for other modules; change it only by adding (docs/evolving-a-contract.md).</summary>
public sealed record ShipmentRegisteredEvent(Guid ShipmentId, string Reference, DateTimeOffset RegisteredAt);
