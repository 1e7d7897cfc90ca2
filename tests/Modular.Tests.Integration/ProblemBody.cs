namespace Modular.Tests.Integration;

/// <summary>
/// An RFC 9457 problem as the API writes it (docs/errors.md): <c>type</c> from the catalogue, <c>traceId</c> always,
/// <c>errors</c> for field problems. Alba reads it with the app's own options, which refuse unknown members: a field
/// the API adds shows up here first.
/// </summary>
public sealed record ProblemBody(
    string? Type, string? Title, int Status, string? Detail = null, Dictionary<string, string[]>? Errors = null, string? TraceId = null);
