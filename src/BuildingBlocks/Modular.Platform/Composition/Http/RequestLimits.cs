using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Modular.Platform.Composition.Http;

/// <summary>
/// How large a request body may be: <c>Modular:MaxRequestBodySize</c> (1 MiB) for every operation, more where an
/// operation declares it with <c>[RequestSizeLimit(n)]</c> (routing raises Kestrel's limit for that endpoint). A body
/// that says its length is refused with a 413 before a byte is read; one that does not is cut off by Kestrel at the
/// limit (the same 413). So nothing larger is buffered for a retried write or by a gateway, and a use case never
/// validates more input than the limit allows.
/// </summary>
public static class RequestLimits
{
    public const long DefaultMaxBodySize = 1024 * 1024;
    internal const string TooLargeTitle = "Request body too large.";

    internal static void AddRequestLimits(this WebApplicationBuilder builder, long maxBodySize) =>
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBodySize);

    /// <summary>A 413 when the declared length is over the endpoint's limit. gRPC checks its messages itself.</summary>
    internal static ProblemDetails? RefuseTooLarge(HttpContext context, long maxBodySize)
    {
        if (context.Request.ContentLength is not { } length || InputGuard.IsGrpc(context.Request)) return null;
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared
            ? declared.MaxRequestBodySize
            : maxBodySize;
        return length > limit ? TooLarge(limit) : null;
    }

    internal static ProblemDetails TooLarge(long? limit) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = TooLargeTitle,
        Detail = limit is { } bytes ? $"This operation accepts a body of at most {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes." : "The body is larger than this operation accepts.",
    };
}
