using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Input rules every endpoint gets before its own validation, so that no endpoint can forget them and none of these
/// inputs reaches PostgreSQL (which refuses NUL in text with an error that used to surface as a 500):
/// <list type="bullet">
/// <item>a query or route value with a control character is a 400 naming the parameter
/// (JSON string fields: <see cref="ControlCharacterRejectingStrings"/>);</item>
/// <item>an id that is the empty GUID is a 404: no resource has it;</item>
/// <item>an endpoint that reads a JSON body and is sent <c>null</c> is a 400.</item>
/// </list>
/// </summary>
internal static class InputGuard
{
    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app) =>
        app.Use(next => async context =>
        {
            if (Refuse(context) is { } problem || (problem = await RefuseNullBodyAsync(context)) is not null)
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

    /// <summary>A JSON <c>null</c> where the endpoint reads a body: the endpoint would get no request at all.</summary>
    private static async Task<ProblemDetails?> RefuseNullBodyAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: not null }
            || context.Request.ContentLength is > 64) return null;

        context.Request.EnableBuffering();
        var buffer = new byte[65];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await context.Request.Body.ReadAsync(buffer.AsMemory(read))) > 0) read += chunk;
        context.Request.Body.Position = 0;
        return read < buffer.Length && Encoding.UTF8.GetString(buffer, 0, read).Trim() == "null"
            ? new FieldErrors().Add("body", "A request body is required; null is not one.").ToProblem()
            : null;
    }

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
