using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Modular.Modules.Shipping.Contracts;
using Modular.Sdk;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Shipping;

/// <summary>Register one shipment under a reference.</summary>
public sealed record RegisterShipment(
    [property: StringLength(RegisterShipmentEndpoint.MaxReferenceLength, MinimumLength = 1), RegularExpression(RegisterShipmentEndpoint.NotBlank)]
    string Reference)
{
    /// <summary>The body Swagger UI offers: it succeeds as it stands.</summary>
    public static RegisterShipment Example { get; } = new("REF-1001");
}

/// <summary>201 with the new shipment's id; its URL is in <c>Location</c>.</summary>
public sealed record ShipmentRegistered(Guid Id, string Url) : CreationResponse(Url);

public static class RegisterShipmentEndpoint
{
    public const int MaxReferenceLength = 100;
    public const string NotBlank = @"\S";

    public static ProblemDetails Validate(RegisterShipment command) => new FieldErrors()
        .When(string.IsNullOrWhiteSpace(command.Reference), "reference", "A reference is required.")
        .When(command.Reference?.Length > MaxReferenceLength, "reference", $"A reference has at most {MaxReferenceLength} characters.")
        .ToProblem();

    [WolverinePost("/api/shipping/shipments")]
    [Authorize(ShippingPermissions.Write)]
    public static (ShipmentRegistered, ShipmentRegisteredEvent, IMartenOp) Post(RegisterShipment command, TimeProvider clock)
    {
        var shipment = new Shipment { Id = Guid.CreateVersion7(), Reference = command.Reference.Trim(), RegisteredAt = clock.GetUtcNow() };
        return (
            new ShipmentRegistered(shipment.Id, $"/api/shipping/shipments/{shipment.Id}"),
            new ShipmentRegisteredEvent(shipment.Id, shipment.Reference, shipment.RegisteredAt),
            MartenOps.Insert(shipment));
    }
}
