namespace Modular.Modules.Catalog.Contracts;

/// <summary>An amount in an ISO 4217 currency, e.g. <c>new Money(19.99m, "EUR")</c>.</summary>
public sealed record Money(decimal Amount, string Currency);
