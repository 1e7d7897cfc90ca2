using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Modular.Platform.Composition.Http;

/// <summary>
/// The last word on every ProblemDetails the application writes, ours or a framework's: it carries the W3C trace id
/// (the key to the log, where the details are), it names no internals, and it echoes no input at length. Wolverine's
/// own answers to an unreadable body or query value are reshaped into the field-error shape of <see cref="FieldErrors"/>:
/// <c>errors: { field: [message] }</c>, the field named as the client sent it, no .NET type names, no raw value.
/// </summary>
internal static partial class ProblemShapes
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier; // 00-<trace>-<span>-<flags>
        switch (problem.Title)
        {
            case "Invalid JSON format": // Wolverine: the body did not deserialize; its detail is the serializer's message
                var path = JsonPath().Match(problem.Detail ?? "").Groups[1].Value;
                problem.Extensions.Remove("lineNumber");
                problem.Extensions.Remove("bytePositionInLine");
                if (MissingMembers().Match(problem.Detail ?? "") is { Success: true } missing)
                {
                    var shaped = new FieldErrors();
                    foreach (Match member in QuotedName().Matches(missing.Groups[1].Value))
                        shaped.Add(path.Length > 2 ? $"{path[2..]}.{member.Groups[1].Value}" : member.Groups[1].Value, "Required.");
                    Reshape(problem, shaped, null);
                    break;
                }

                // The serializer names a repeated member but not where it is: the member's own name it is.
                if (RepeatedMember().Match(problem.Detail ?? "") is { Success: true } repeated)
                {
                    Reshape(problem, repeated.Groups[1].Value, "Sent more than once: send each member once.", null);
                    break;
                }

                if (UnknownMember().Match(problem.Detail ?? "") is { Success: true } unknown)
                {
                    var member = unknown.Groups[1].Value;
                    Reshape(problem, path.Length > 2 ? $"{path[2..]}.{member}" : member, "Not a member of this operation's body.", null);
                    break;
                }

                Reshape(problem, path.Length > 2 ? path[2..] : null,
                    "Not a valid value here: check its type and format (text has no control characters).",
                    path.Length > 2 ? null : "The request body is not a JSON object of this operation's shape.");
                break;
            case "Invalid query string value": // Wolverine: a query value did not parse; its detail echoes the value
                Reshape(problem, problem.Extensions.TryGetValue("parameter", out var name) ? name as string : null,
                    "Not a valid value for this parameter.", null);
                problem.Extensions.Remove("parameter");
                break;
            case "Request body could not be deserialized": // Wolverine: a serializer failure on our side, named in detail
                problem.Title = "An unexpected error occurred.";
                problem.Detail = null;
                problem.Extensions.Remove("exceptionType");
                problem.Extensions.Remove("targetType");
                break;
        }

        // A body Kestrel stopped at the limit, whoever caught it (Wolverine's body reader, the exception handler): the limit.
        if (problem.Status == StatusCodes.Status413PayloadTooLarge && problem.Title != RequestLimits.TooLargeTitle)
        {
            var tooLarge = RequestLimits.TooLarge(context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize);
            (problem.Title, problem.Detail, problem.Instance) = (tooLarge.Title, tooLarge.Detail, null);
        }

        // Every answer names its kind from the catalogue; a framework's default title ("Not Found") gets ours.
        if (!ProblemTypes.IsOurs(problem.Type))
        {
            var kind = ProblemTypes.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
            if (string.IsNullOrEmpty(problem.Title) || problem.Title == ReasonPhrases.GetReasonPhrase(kind.Status))
                problem.Title = kind.Title;
            problem.Type = kind.Uri;
        }

        if (problem.Detail is not null) problem.Detail = ProblemTypes.Shorten(problem.Detail);
    }

    private static void Reshape(ProblemDetails problem, string? field, string message, string? detail) =>
        Reshape(problem, new FieldErrors().Add(field ?? "body", message), detail);

    private static void Reshape(ProblemDetails problem, FieldErrors errors, string? detail)
    {
        if (errors.IsEmpty) errors.Add("body", "Not a valid body for this operation.");
        var shaped = errors.ToProblem();
        problem.Type = shaped.Type;
        problem.Title = shaped.Title;
        problem.Detail = detail;
        problem.Instance = null;
        problem.Extensions["errors"] = ((HttpValidationProblemDetails)shaped).Errors;
    }

    /// <summary>System.Text.Json's message for constructor parameters absent from the body (RespectRequiredConstructorParameters).</summary>
    [GeneratedRegex(@"was missing required properties including: (.{1,2000})")]
    private static partial Regex MissingMembers();

    [GeneratedRegex(@"'([A-Za-z0-9_$\-]{1,64})'")]
    private static partial Regex QuotedName();

    /// <summary>System.Text.Json's message for a member the type does not have (UnmappedMemberHandling.Disallow).</summary>
    [GeneratedRegex(@"^The JSON property '([A-Za-z0-9_$\-]{1,64})' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"^Duplicate property '([A-Za-z0-9_$\-]{1,64})' encountered")]
    private static partial Regex RepeatedMember();

    [GeneratedRegex(@"Path: (\$[^\s|]*)")]
    private static partial Regex JsonPath();

    /// <summary>GET /problems/{kind}: the catalogue entry as plain text, so every <c>type</c> a client sees resolves.</summary>
    internal static void MapProblemTypes(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(ProblemTypes.PathPrefix + "{kind}", (string kind) =>
                ProblemTypes.All.FirstOrDefault(t => t.Kind == kind) is { } type
                    ? Results.Text($"{type.Title} ({type.Status})\n\n{type.Description}\n", "text/plain; charset=utf-8")
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound))
            .ExcludeFromDescription().AllowAnonymous();
}
