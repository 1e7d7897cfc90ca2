using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Modular.Sdk;

/// <summary>
/// The REST error model, spoken in gRPC: a use case's <see cref="ProblemDetails"/> becomes the matching status code,
/// the problem's title as the message, and <c>google.rpc.Status</c> details (the <c>grpc-status-details-bin</c>
/// trailer): <c>ErrorInfo</c> (reason = the problem kind of <c>/problems/&lt;kind&gt;</c>, domain <c>modular</c>,
/// metadata: type, detail, traceId) and, for field errors, <c>BadRequest</c> field violations with proto field paths.
/// </summary>
public static class GrpcProblems
{
    public const string Domain = "modular";

    private static readonly HttpContextAccessor Request = new();

    /// <summary>Throws the problem as an <see cref="RpcException"/>, unless it is Wolverine's "no problems, go on".</summary>
    public static void ThrowIfAny(ProblemDetails problem)
    {
        if (!ReferenceEquals(problem, WolverineContinue.NoProblems)) throw ToException(problem);
    }

    /// <param name="retryAfter">When to try again (a rate limit's wait): a <c>RetryInfo</c> detail, as gRPC clients read it.</param>
    public static RpcException ToException(ProblemDetails problem, TimeSpan? retryAfter = null)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var kind = ProblemTypes.IsOurs(problem.Type) ? problem.Type![ProblemTypes.PathPrefix.Length..] : ProblemTypes.ForStatus(status).Kind;
        var info = new ErrorInfo { Reason = kind, Domain = Domain };
        info.Metadata["type"] = ProblemTypes.PathPrefix + kind;
        info.Metadata["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (problem.Detail is { Length: > 0 } detail) info.Metadata["detail"] = ProblemTypes.Shorten(detail);
        // The key to the log, as REST's problems carry it (ProblemShapes): the W3C id, else the request's own id.
        if ((Activity.Current?.Id ?? Request.HttpContext?.TraceIdentifier) is { } traceId) info.Metadata["traceId"] = traceId;

        var rpcStatus = new Google.Rpc.Status
        {
            Code = (int)CodeFor(status),
            Message = problem.Title ?? ProblemTypes.ForStatus(status).Title,
            Details = { Any.Pack(info) },
        };
        if (retryAfter is { } wait) rpcStatus.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) }));
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } fields)
        {
            var violations = new BadRequest();
            foreach (var (field, messages) in fields.Errors)
                violations.FieldViolations.AddRange(messages.Select(m => new BadRequest.Types.FieldViolation { Field = ProtoFieldPath(field), Description = m }));
            rpcStatus.Details.Add(Any.Pack(violations));
        }

        return rpcStatus.ToRpcException();
    }

    /// <summary>The HTTP status of a problem, as the gRPC code a client library understands.</summary>
    public static StatusCode CodeFor(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType => StatusCode.InvalidArgument,
        StatusCodes.Status401Unauthorized => StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status409Conflict => StatusCode.Aborted,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
        StatusCodes.Status422UnprocessableEntity => StatusCode.FailedPrecondition,
        StatusCodes.Status503ServiceUnavailable or StatusCodes.Status502BadGateway => StatusCode.Unavailable,
        StatusCodes.Status504GatewayTimeout => StatusCode.DeadlineExceeded,
        < 500 => StatusCode.InvalidArgument,
        _ => StatusCode.Internal,
    };

    /// <summary>A REST field name as the proto field path: <c>lines[0].productId</c> → <c>lines[0].product_id</c>.</summary>
    public static string ProtoFieldPath(string field) =>
        string.Concat(field.Select((c, i) => char.IsUpper(c) && i > 0 && char.IsLetterOrDigit(field[i - 1]) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
