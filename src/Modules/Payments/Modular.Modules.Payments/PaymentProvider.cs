using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Modular.Modules.Payments;

/// <summary>
/// A card processor. Both calls are idempotent by <c>key</c> (the order id): calling again returns the
/// first outcome and never moves money twice.
/// </summary>
public interface IPaymentProvider
{
    /// <exception cref="PaymentProviderUnavailableException">Try again later.</exception>
    /// <exception cref="PaymentProviderRejectedException">Retrying will not help; a person must look.</exception>
    Task<ChargeResult> ChargeAsync(string key, string customerId, decimal amount, string currency, CancellationToken ct);

    /// <summary>Gives back a captured charge; does nothing when nothing was captured under <paramref name="key"/>.</summary>
    Task<RefundResult> RefundAsync(string key, CancellationToken ct);
}

public sealed record ChargeResult(bool Captured, string Reference, string? DeclineReason);

public sealed record RefundResult(bool Refunded, string? Reference, decimal Amount);

/// <summary>Transient: timeouts, 5xx, rate limits. Retried with backoff.</summary>
public sealed class PaymentProviderUnavailableException(string message) : Exception(message);

/// <summary>Permanent: the provider refuses the request itself (bad credentials, merchant configuration). Dead-lettered.</summary>
public sealed class PaymentProviderRejectedException(string message) : Exception(message);

/// <summary>How provider failures are handled: transient ones retried with backoff, permanent ones dead-lettered.</summary>
internal static class PaymentProviderFailures
{
    public static readonly TimeSpan[] Backoff =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    public static void Apply(HandlerChain chain)
    {
        chain.OnException<PaymentProviderUnavailableException>().RetryWithCooldown(Backoff).Then.MoveToErrorQueue();
        chain.OnException<PaymentProviderRejectedException>().MoveToErrorQueue();
    }
}
