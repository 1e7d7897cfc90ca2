namespace Modular.Modules.Catalog.Contracts;

/// <summary>The product can no longer be ordered. Retirement is final.</summary>
public sealed record ProductRetiredEvent(Guid ProductId, DateTimeOffset RetiredAt);
