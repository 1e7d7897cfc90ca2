namespace Modular.Sdk;

/// <summary>
/// The roles of the reference model (ADR 0013): a <see cref="Customer"/> shops for themself, <see cref="Staff"/>
/// runs the shop, an <see cref="Admin"/> runs the system. Tokens carry roles; modules say what each role may do.
/// </summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Staff = "staff";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Customer, Staff, Admin];
}
