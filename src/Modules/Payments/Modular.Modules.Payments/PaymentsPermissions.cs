namespace Modular.Modules.Payments;

/// <summary>Payments' permissions; which roles hold them is declared in <see cref="PaymentsModule"/>.</summary>
public static class PaymentsPermissions
{
    public const string Read = "payments:read";

    /// <summary>Read anyone's payments, not only one's own.</summary>
    public const string AnyonesPayments = "payments:anyones-payments";
    public const string Simulator = "payments:simulator";
}
