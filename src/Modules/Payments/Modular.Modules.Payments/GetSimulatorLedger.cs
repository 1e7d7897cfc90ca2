using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Modular.Modules.Payments;

public static class GetSimulatorLedgerEndpoint
{
    /// <summary>Charge attempts, captured amount and refund for one order, as the simulated provider saw them.</summary>
    [WolverineGet("/api/payments/simulator/ledger/{orderId}")]
    [Authorize(PaymentsPermissions.Simulator)]
    public static LedgerEntry Get(Guid orderId, SimulatedPaymentProvider provider) => provider.LedgerFor(orderId.ToString());
}
