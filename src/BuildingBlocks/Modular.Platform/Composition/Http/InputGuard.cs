using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Modular.Platform.Composition.Http;

/// <summary>
/// Input rules every endpoint gets before its own validation, so that no endpoint can forget them and none of these
/// inputs reaches PostgreSQL (which refuses NUL in text with an error that used to surface as a 500):
/// <list type="bullet">
/// <item>a query or route value with a control character is a 400 naming the parameter
/// (JSON string fields: <see cref="ControlCharacterRejectingStrings"/>);</item>
/// <item>an id that is the empty GUID is a 404: no resource has it;</item>
/// <item>an endpoint that reads a JSON body and is sent none, or <c>null</c>, is a 400;</item>
/// <item>a body that is not <c>application/json</c> (any letter case, UTF-8 only) is a 415;</item>
/// <item>an API request whose <c>Accept</c> allows no JSON is a 406;</item>
/// <item>a body longer than the operation accepts is a 413 before a byte of it is read (<see cref="RequestLimits"/>).</item>
/// </list>
/// </summary>
internal static class InputGuard
{
    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app, long maxBodySize) =>
        app.Use(next => async context =>
        {
            if (RequestLimits.RefuseTooLarge(context, maxBodySize) is { } problem || (problem = RefuseUnacceptable(context)) is not null
                || (problem = Refuse(context)) is not null
                || (problem = RefuseMediaType(context)) is not null || (problem = await RefuseMissingBodyAsync(context)) is not null)
            {
                context.Response.StatusCode = problem.Status!.Value;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
                return;
            }

            await next(context);
        });

    private static ProblemDetails? Refuse(HttpContext context)
    {
        var errors = new FieldErrors();
        foreach (var (name, values) in context.Request.Query)
            errors.When(values.Any(v => HasControlCharacter(v)), name, "Contains a control character.");
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is not string text) continue;
            errors.When(HasControlCharacter(text), name, "Contains a control character.");
            if (Guid.TryParse(text, out var id) && id == Guid.Empty) return Problems.NotFound("Resource", id);
        }

        return errors.IsEmpty ? null : errors.ToProblem();
    }

    /// <summary>The API speaks JSON only: an <c>Accept</c> that rules JSON out gets a 406 (itself in problem+json).</summary>
    private static ProblemDetails? RefuseUnacceptable(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api")) return null;
        var accept = context.Request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0) return null;
        return ranges.Any(r => r.Quality is not 0 && AcceptsJson(r))
            ? null
            : new ProblemDetails { Status = StatusCodes.Status406NotAcceptable, Detail = "Accept application/json (or */*)." };
    }

    private static bool AcceptsJson(MediaTypeHeaderValue range) =>
        range.MatchesAllTypes
        || range.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
        || range.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || range.MediaType.Equals(ProblemJsonWriter.ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A body must say it is JSON in UTF-8. Media types are case-insensitive (RFC 9110), so <c>APPLICATION/JSON</c> is
    /// JSON: it is passed on spelled the way the endpoint's own check expects.
    /// </summary>
    private static ProblemDetails? RefuseMediaType(HttpContext context)
    {
        if (!ReadsBody(context) || !HasBody(context.Request)) return null;
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            context.Request.ContentType = "application/json";
            return null;
        }

        return new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Detail = "Send the body as application/json (UTF-8) and say so in Content-Type.",
        };
    }

    private static bool ReadsBody(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: not null };

    /// <summary>Whether the request can carry a body at all (Kestrel knows from its framing; a test server may not say).</summary>
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is not 0 && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;

    /// <summary>No body, or a JSON <c>null</c>, where the endpoint reads one: the endpoint would get no request at all.</summary>
    private static async Task<ProblemDetails?> RefuseMissingBodyAsync(HttpContext context)
    {
        if (!ReadsBody(context) || context.Request.ContentLength is > 64) return null;
        if (!HasBody(context.Request)) return new FieldErrors().Add("body", "A request body is required.").ToProblem();

        context.Request.EnableBuffering();
        var buffer = new byte[65];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await context.Request.Body.ReadAsync(buffer.AsMemory(read))) > 0) read += chunk;
        context.Request.Body.Position = 0;
        return read < buffer.Length && Encoding.UTF8.GetString(buffer, 0, read).Trim() is "null" or ""
            ? new FieldErrors().Add("body", "A request body (a JSON object) is required.").ToProblem()
            : null;
    }

    /// <summary>Whether a request is a gRPC call: its rules (message size, refusals as gRPC statuses) are gRPC's.</summary>
    internal static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>NUL and the other control characters; tab and line breaks are text.</summary>
    internal static bool HasControlCharacter(string? text) =>
        text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));
}

/// <summary>
/// Reads every JSON string the way PostgreSQL can store it: a NUL or another control character (tab and line breaks
/// aside) is refused where it stands, as a JSON error with its path, i.e. a 400 naming the field.
/// </summary>
public sealed class ControlCharacterRejectingStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        // No message of our own: the serializer then names the path, which the 400 turns into the field (ProblemShapes).
        return InputGuard.HasControlCharacter(text) ? throw new JsonException() : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
