namespace Modular.Modules.Shipping;

/// <summary>One shipment, as Shipping stores it (a Marten document in the <c>shipping</c> schema).</summary>
public sealed class Shipment
{
    public Guid Id { get; set; }
    public string Reference { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
}

/// <summary>One shipment as the API shows it.</summary>
public sealed record ShipmentDetails(Guid Id, string Reference, DateTimeOffset RegisteredAt)
{
    public static ShipmentDetails From(Shipment shipment) => new(shipment.Id, shipment.Reference, shipment.RegisteredAt);
}
