using System.Text.RegularExpressions;
using Modular.Modules.Catalog.Contracts;
using Modular.Sdk;

namespace Modular.Modules.Catalog;

/// <summary>What a valid product looks like. Pure functions over the request; no I/O.</summary>
internal static partial class ProductRules
{
    public const int MaxSkuLength = 32;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const decimal MaxPrice = Money.MaxAmount;

    /// <summary>Text that is not only white space.</summary>
    public const string NotBlank = @"\S";

    /// <summary>What a SKU looks like as sent (it is trimmed and compared upper-case).</summary>
    public const string SkuPattern = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$";

    /// <summary>SKUs compare upper-case: "ab-1" and "AB-1" are the same product.</summary>
    public static string NormalizeSku(string? sku) => (sku ?? "").Trim().ToUpperInvariant();

    public static Money NormalizePrice(Money price) => price with { Currency = price.Currency.Trim().ToUpperInvariant() };

    public static FieldErrors CheckSku(this FieldErrors errors, string? sku)
    {
        var normalized = NormalizeSku(sku);
        if (normalized.Length == 0) return errors.Add("sku", "A SKU is required.");
        if (normalized.Length > MaxSkuLength) return errors.Add("sku", $"A SKU has at most {MaxSkuLength} characters.");
        return errors.When(!SkuFormat().IsMatch(normalized), "sku", "A SKU holds letters, digits and inner hyphens only.");
    }

    public static FieldErrors CheckName(this FieldErrors errors, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return errors.Add("name", "A name is required.");
        return errors.When(name.Trim().Length > MaxNameLength, "name", $"A name has at most {MaxNameLength} characters.");
    }

    public static FieldErrors CheckDescription(this FieldErrors errors, string? description) =>
        errors.When(description?.Length > MaxDescriptionLength, "description",
            $"A description has at most {MaxDescriptionLength} characters.");

    public static FieldErrors CheckPrice(this FieldErrors errors, Money? price)
    {
        if (price is null) return errors.Add("price", "A price is required.");

        var currency = price.Currency?.Trim().ToUpperInvariant() ?? "";
        if (!Currencies.IsKnown(currency))
            errors.Add("price.currency", $"'{price.Currency}' is not an active ISO 4217 currency code.");

        if (price.Amount <= 0m)
            return errors.Add("price.amount", "A price is greater than zero.");
        if (price.Amount > MaxPrice)
            return errors.Add("price.amount", $"A price is at most {MaxPrice:0}.");
        if (Currencies.IsKnown(currency) && price.Amount.Scale > Currencies.MinorUnitDigits(currency)
            && price.Amount != Math.Round(price.Amount, Currencies.MinorUnitDigits(currency)))
            errors.Add("price.amount", $"{currency} amounts have at most {Currencies.MinorUnitDigits(currency)} decimal places.");
        return errors;
    }

    [GeneratedRegex(SkuPattern, RegexOptions.CultureInvariant)]
    private static partial Regex SkuFormat();
}
