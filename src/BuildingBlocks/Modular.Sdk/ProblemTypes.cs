using Microsoft.AspNetCore.Http;

namespace Modular.Sdk;

/// <summary>
/// The catalogue of error kinds: every 4xx/5xx the application answers is <c>application/problem+json</c> whose
/// <c>type</c> is one of these URIs (RFC 9457: full-path references, served by every deployment at the path they
/// name, so a client can look one up). A client branches on <c>type</c>, shows <c>title</c>, and for
/// <see cref="InvalidRequest"/> and <see cref="Unprocessable"/> reads <c>errors</c> (field → messages).
/// docs/errors.md lists the same catalogue; a test keeps the two in step.
/// </summary>
public static class ProblemTypes
{
    public const string PathPrefix = "/problems/";

    public static readonly ProblemType InvalidRequest = new("invalid-request", StatusCodes.Status400BadRequest,
        "One or more fields are invalid.",
        "A field, query or route value, or the body itself is malformed: wrong type or format, out of limits, missing, " +
        "or holding a control character. `errors` names each field as the client sent it (`price.amount`, `lines[0].quantity`, " +
        "`body` for the body as a whole). Nothing was written: fix the fields and send again.");

    public static readonly ProblemType Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized,
        "Authentication is required.", "The request carries no valid credentials.");

    public static readonly ProblemType Forbidden = new("forbidden", StatusCodes.Status403Forbidden,
        "Not allowed.", "The caller is known but may not do this.");

    public static readonly ProblemType NotFound = new("not-found", StatusCodes.Status404NotFound,
        "Not found.", "No resource has this id, or no operation has this path. An id that is not a GUID is a 404 too: no resource can have it.");

    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed,
        "Method not allowed.", "The path exists, but not with this HTTP method; `Allow` lists the ones it has.");

    public static readonly ProblemType NotAcceptable = new("not-acceptable", StatusCodes.Status406NotAcceptable,
        "Not acceptable.", "The API answers in JSON only (`application/json`, errors as `application/problem+json`); the `Accept` header allowed neither.");

    public static readonly ProblemType RequestTimeout = new("request-timeout", StatusCodes.Status408RequestTimeout,
        "The request body arrived too slowly.", "The server stopped waiting for the rest of the body. Nothing was done: send the same request again (orders with the same idempotency key).");

    public static readonly ProblemType Conflict = new("conflict", StatusCodes.Status409Conflict,
        "Conflict with the current state.", "The request is well-formed but collides with existing data (a SKU already in use, an order no longer cancellable). Read the resource again before deciding.");

    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", StatusCodes.Status413PayloadTooLarge,
        "Request body too large.", "The body is larger than the operation accepts (1 MiB unless it says otherwise); `detail` gives the limit. Nothing was written.");

    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType,
        "Unsupported media type.", "Send a body as `application/json` (UTF-8; `charset=utf-8` may be given, no other).");

    public static readonly ProblemType Unprocessable = new("unprocessable", StatusCodes.Status422UnprocessableEntity,
        "The request cannot be carried out.", "Well-formed input that refers to something unusable (a retired product, an idempotency key used for another order). `errors` names the fields where there are any.");

    public static readonly ProblemType TooManyRequests = new("too-many-requests", StatusCodes.Status429TooManyRequests,
        "Too many requests.", "This client sent more requests to the module than its rate limit allows. Nothing was done: send the same request again after `Retry-After` seconds.");

    public static readonly ProblemType Unexpected = new("unexpected", StatusCodes.Status500InternalServerError,
        "An unexpected error occurred.", "A defect on the server's side. The answer says nothing more; the log has the details under the answer's `traceId`.");

    public static readonly ProblemType BadGateway = new("bad-gateway", StatusCodes.Status502BadGateway,
        "The deployment behind the gateway did not answer.", "Only from a gateway: the deployment that serves this path broke the connection or could not be reached. A write may or may not have happened: send it again (with the same idempotency key for orders).");

    public static readonly ProblemType Unavailable = new("unavailable", StatusCodes.Status503ServiceUnavailable,
        "The service is temporarily unavailable.", "A dependency (the database, the broker, every instance of the deployment behind a gateway) is restarting or out of reach. Nothing is wrong with the request: send it again after `Retry-After` seconds, where given (with the same idempotency key for orders).");

    public static readonly ProblemType GatewayTimeout = new("gateway-timeout", StatusCodes.Status504GatewayTimeout,
        "The deployment behind the gateway did not answer in time.", "Only from a gateway. As for bad-gateway: the write may have happened; send the same request again.");

    public static IReadOnlyList<ProblemType> All { get; } =
    [
        InvalidRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, RequestTimeout, Conflict, PayloadTooLarge,
        UnsupportedMediaType, Unprocessable, TooManyRequests, Unexpected, BadGateway, Unavailable, GatewayTimeout,
    ];

    /// <summary>The kind an answer of <paramref name="status"/> has when nothing more specific was said.</summary>
    public static ProblemType ForStatus(int status) =>
        All.FirstOrDefault(t => t.Status == status) ?? (status >= 500 ? Unexpected : InvalidRequest);

    public static bool IsOurs(string? type) => type?.StartsWith(PathPrefix, StringComparison.Ordinal) == true;

    /// <summary>How long a text an answer carries (a detail, a field message) may be: never echo input at length.</summary>
    public const int MaxDetailLength = 300;

    internal static string Shorten(string text) => text.Length > MaxDetailLength ? text[..MaxDetailLength] + "…" : text;
}

/// <summary>One kind of error: its <c>type</c> URI, the status it comes with, its default title and what it means.</summary>
public sealed record ProblemType(string Kind, int Status, string Title, string Description)
{
    public string Uri => ProblemTypes.PathPrefix + Kind;
}
