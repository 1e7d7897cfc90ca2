using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Modular.Modules.Payments;

public static class GetSimulatorRulesEndpoint
{
    [WolverineGet("/api/payments/simulator")]
    [Authorize(PaymentsPermissions.Simulator)]
    public static SimulatorRules Get(SimulatorSettings settings) => SimulatorRules.From(settings);
}
