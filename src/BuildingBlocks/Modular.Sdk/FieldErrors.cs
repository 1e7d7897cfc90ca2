using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Modular.Sdk;

/// <summary>
/// Collects field errors of one request; <see cref="ToProblem"/> turns them into a 400 RFC 7807 body
/// (<c>errors: { field: [messages] }</c>) or into Wolverine's "no problems, go on".
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public FieldErrors Add(string field, string message)
    {
        // A message may quote the input: never echo it at length.
        message = ProblemTypes.Shorten(message);
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/> when <paramref name="failed"/> is true.</summary>
    public FieldErrors When(bool failed, string field, string message) => failed ? Add(field, message) : this;

    /// <summary>The rules of a list endpoint's <c>page</c>/<c>pageSize</c> fields (<see cref="Paging"/>).</summary>
    public FieldErrors CheckPaging(int? page, int? pageSize) => this
        .When(page is < 1 or > 1_000_000, "page", "Pages start at 1.")
        .When(pageSize is < 1 or > Paging.MaxPageSize, "pageSize", $"A page holds 1 to {Paging.MaxPageSize} items.");

    /// <summary>
    /// No errors: Wolverine's "go on". Otherwise a problem listing every field: 400 for malformed input,
    /// or e.g. 422 when well-formed input refers to something that cannot be used.
    /// </summary>
    public ProblemDetails ToProblem(int status = StatusCodes.Status400BadRequest, string title = "One or more fields are invalid.") =>
        IsEmpty
            ? WolverineContinue.NoProblems
            : new HttpValidationProblemDetails(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
            {
                Status = status,
                Title = title,
                Type = ProblemTypes.ForStatus(status).Uri,
            };
}
