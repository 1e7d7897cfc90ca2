using System.Globalization;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Platform.Composition.Http;

namespace Modular.Tests.Unit.Catalog;

public sealed class ProductRulesTests
{
    [Theory]
    [InlineData(" ab-12 ", "AB-12")]
    [InlineData("x", "X")]
    [InlineData(null, "")]
    public void skus_compare_trimmed_and_upper_case(string? sku, string normalized) =>
        Assert.Equal(normalized, ProductRules.NormalizeSku(sku));

    [Theory]
    [InlineData("AB-12", true)]
    [InlineData("A", true)]
    [InlineData("-AB", false)]
    [InlineData("AB-", false)]
    [InlineData("A--B", false)]
    [InlineData("A_B", false)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", false)]
    public void a_sku_holds_letters_digits_and_inner_hyphens_up_to_32_characters(string sku, bool valid) =>
        Assert.Equal(valid, new FieldErrors().CheckSku(sku).IsEmpty);

    [Theory]
    [InlineData("19.99", "EUR", true)]
    [InlineData("19.990", "EUR", true)]
    [InlineData("19.999", "EUR", false)]
    [InlineData("1500", "JPY", true)]
    [InlineData("1500.5", "JPY", false)]
    [InlineData("1.234", "KWD", true)]
    [InlineData("10", "usd", true)]
    [InlineData("1000000", "EUR", true)]
    [InlineData("1000000.01", "EUR", false)]
    [InlineData("0", "EUR", false)]
    [InlineData("-0.01", "EUR", false)]
    [InlineData("10", "EURO", false)]
    [InlineData("10", "XAU", false)]
    public void a_price_is_positive_bounded_and_has_at_most_the_currency_minor_digits(string amount, string currency, bool valid) =>
        Assert.Equal(valid, new FieldErrors().CheckPrice(new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency)).IsEmpty);

    [Fact]
    public void a_price_normalizes_its_currency_code() =>
        Assert.Equal(new Money(5m, "EUR"), ProductRules.NormalizePrice(new Money(5m, " eur ")));
}
