using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Turns exceptions that escape an endpoint into RFC 7807 bodies: unreadable requests are the client's
/// fault (400/415), lost races on a unique key or a version are 409, anything else is a 500 whose
/// details stay in the log outside Development.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    IHostEnvironment environment,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Classify(exception);
        if (problem.Status >= 500)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            if (environment.IsDevelopment()) problem.Detail = exception.ToString();
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails Classify(Exception exception) => Unwrap(exception) switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Title = "Unsupported media type.",
            Detail = "Send the request body as application/json.",
        },
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode, Title = "The request could not be read.", Detail = bad.Message,
        },
        JsonException json => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this operation.",
            Detail = json.Path is null ? json.Message : $"Invalid value at '{json.Path}'.",
        },
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Conflict with existing data.",
            Detail = $"A unique value is already taken ({unique.ConstraintName}).",
        },
        ConcurrencyException or ExistingStreamIdCollisionException or DocumentAlreadyExistsException => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The resource was changed by another request.",
            Detail = "Read it again and retry.",
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
            if (current is BadHttpRequestException or JsonException or PostgresException or ConcurrencyException
                or ExistingStreamIdCollisionException or DocumentAlreadyExistsException)
                return current;
        }

        return exception;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
