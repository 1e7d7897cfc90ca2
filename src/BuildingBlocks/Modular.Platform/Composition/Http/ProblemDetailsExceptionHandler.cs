using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Messaging;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Persistence;
using Npgsql;

namespace Modular.Platform.Composition.Http;

/// <summary>
/// Turns exceptions that escape an endpoint into RFC 7807 bodies: unreadable requests are the client's
/// fault (400/415), a value a module declared unique (<see cref="UniqueValue"/>) already taken, or a write that kept
/// losing races to others (a version, a key taken meanwhile), is 409, a database or broker out of reach is
/// a 503 with <c>Retry-After</c>, anything else is a 500. Exception details only ever go to the log.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    ActiveModules modules,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Classify(exception, modules.UniqueValues);
        // The details stay in the log, found by the trace id the answer carries; no answer names internals.
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            ConnectionPools.NoteFailure(exception); // a dead pooled connection: the next requests get fresh ones
            LogUnavailable(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = ((int)TransientFaults.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        else if (problem.Status >= 500)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails Classify(Exception exception, IReadOnlyList<UniqueValue>? uniqueValues = null) =>
        UniqueValue.TakenIn(exception, uniqueValues ?? []) is { } taken
            ? Problems.Conflict(taken.Title, taken.Detail)
            : Classify(Unwrap(exception));

    private static ProblemDetails Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Title = "Unsupported media type.",
            Detail = "Send the request body as application/json.",
        },
        // A body without a declared length that grew past the limit while being read (Kestrel stops it there);
        // ProblemShapes says the limit.
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge },
        // The body came slower than Kestrel's minimum data rate (a client or a machine starved): nothing was read, nothing done.
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new ProblemDetails
        {
            Status = StatusCodes.Status408RequestTimeout, Title = ProblemTypes.RequestTimeout.Title, Detail = "Send the same request again.",
        },
        // The framework's messages name parameter types: the client gets what it can act on, the log the rest.
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode, Title = "The request could not be read.", Detail = "Check the body's JSON and the parameters' formats.",
        },
        JsonException json => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this operation.",
            Detail = json.Path is null ? null : $"Invalid value at '{json.Path}'.",
        },
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Conflict with existing data.",
            Detail = "A value that must be unique is already taken.",
        },
        var e when WriteConflicts.IsConflict(e) => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The resource was changed by another request.",
            Detail = "Read it again and retry.",
        },
        // The database or broker is restarting or out of reach: nothing about the request is wrong, and a client
        // that sends it again (with its idempotency key) once the service is back gets the one result.
        var e when TransientFaults.IsTransient(e) => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is temporarily unavailable.",
            Detail = $"A dependency is restarting or unreachable. Send the same request again in {TransientFaults.RetryAfter.TotalSeconds:0} s.",
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error occurred.",
        },
    };

    /// <summary>The first exception in the chain that says what went wrong (Marten and Wolverine wrap them).</summary>
    private static Exception Unwrap(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException or JsonException or PostgresException || WriteConflicts.IsConflict(current))
                return current;
        }

        return exception;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient fault on {Method} {Path}: answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
