using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.Sdk;
using Wolverine.Http;

namespace Modular.Modules.Payments;

/// <summary>The payment of one order: captured, declined, refunded or voided.</summary>
public static class GetPaymentEndpoint
{
    public static Task<Payment?> LoadAsync(Guid orderId, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<Payment>(orderId, ct);

    // Another customer's payment is "not found": its existence is not theirs to know.
    public static ProblemDetails Validate(Guid orderId, Payment? payment, ClaimsPrincipal user, PermissionGrants grants) =>
        payment is null || !grants.ActsFor(user, payment.CustomerId, PaymentsPermissions.AnyonesPayments)
            ? Problems.NotFound("Payment", orderId)
            : WolverineContinue.NoProblems;

    [WolverineGet("/api/payments/orders/{orderId}")]
    [Authorize(PaymentsPermissions.Read)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static PaymentDetails Get(Guid orderId, [NotBody] Payment payment) => PaymentDetails.From(payment);
}
