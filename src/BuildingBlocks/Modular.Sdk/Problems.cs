using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Modular.Sdk;

/// <summary>The ProblemDetails a use case returns when it refuses a request for a reason other than its fields.</summary>
public static class Problems
{
    public static ProblemDetails NotFound(string what, object id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = $"{what} not found.",
        Detail = $"No {what.ToLowerInvariant()} has the id '{id}'.",
        Type = ProblemTypes.NotFound.Uri,
    };

    public static ProblemDetails Forbidden(string detail) => new()
    {
        Status = StatusCodes.Status403Forbidden,
        Title = ProblemTypes.Forbidden.Title,
        Detail = detail,
        Type = ProblemTypes.Forbidden.Uri,
    };

    public static ProblemDetails Conflict(string title, string detail) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = title,
        Detail = detail,
        Type = ProblemTypes.Conflict.Uri,
    };
}
