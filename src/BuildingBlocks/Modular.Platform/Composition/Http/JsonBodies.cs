using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Modular.Platform.Composition.Http;

/// <summary>How every request body is read: one strict reading, its refusals named by field (ADR 0011, 0012).</summary>
internal static class JsonBodies
{
    public static IServiceCollection AddStrictJsonBodies(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new ControlCharacterRejectingStrings());
            // A member the operation does not have is refused (400 naming it), not ignored: a typo such as "quantitiy"
            // would otherwise be silently dropped. The OpenAPI document says additionalProperties: false (ADR 0012).
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // A member the record's constructor needs (one without a default value) must be sent: what the document
            // marks required is what the server requires, from one source, the C# signature.
            json.SerializerOptions.RespectRequiredConstructorParameters = true;
            // One reading of a body: a member sent twice ("sku" twice, the last one winning) or a number sent as text
            // ("19.99") is refused, naming it, rather than guessed at (the web defaults accept both).
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
}
