namespace Modular.Modules.Payments;

/// <summary>Payments' permissions; which roles hold them is declared in <see cref="PaymentsModule"/>.</summary>
public static class PaymentsPermissions
{
    public const string Read = "payments:read";
    public const string Simulator = "payments:simulator";
}
