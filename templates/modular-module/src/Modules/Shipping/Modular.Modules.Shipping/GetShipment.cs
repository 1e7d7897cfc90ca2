using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Shipping;

/// <summary>One shipment by id.</summary>
public static class GetShipmentEndpoint
{
    public static Task<Shipment?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Shipment>(id, ct);

    public static ProblemDetails Validate(Guid id, Shipment? shipment) =>
        shipment is null ? Problems.NotFound("Shipment", id) : WolverineContinue.NoProblems;

    [WolverineGet("/api/shipping/shipments/{id}")]
    [Authorize(ShippingPermissions.Read)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static ShipmentDetails Get(Guid id, [NotBody] Shipment shipment) => ShipmentDetails.From(shipment);
}
