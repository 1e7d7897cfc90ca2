using System.ComponentModel.DataAnnotations;

namespace Modular.Modules.Catalog.Contracts;

/// <summary>An amount in an ISO 4217 currency, e.g. <c>new Money(19.99m, "EUR")</c>.</summary>
/// <remarks>The attributes are what the OpenAPI document says; Catalog's ProductRules checks the same constants.</remarks>
public sealed record Money(
    [property: Range(typeof(decimal), "0", Money.MaxAmountText, MinimumIsExclusive = true)] decimal Amount,
    [property: StringLength(3, MinimumLength = 3), RegularExpression(Money.CurrencyPattern)] string Currency)
{
    public const decimal MaxAmount = 1_000_000m;
    public const string MaxAmountText = "1000000";
    public const string CurrencyPattern = "^[A-Za-z]{3}$";
}
