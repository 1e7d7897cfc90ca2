namespace Modular.Tests.Integration;

/// <summary>The RFC 7807 fields the tests read (plus <c>errors</c> of validation problems).</summary>
public sealed record ProblemBody(string? Type, string? Title, int Status, string? Detail, Dictionary<string, string[]>? Errors);

