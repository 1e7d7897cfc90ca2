using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Modular.Platform.Composition.OpenApi;

/// <summary>
/// A request record's <c>public static T Example</c> becomes its schema's example, so Swagger UI's "Try it out" starts
/// from a body that succeeds (a test runs each through its use case's validation) instead of <c>"string"</c> and <c>0</c>.
/// </summary>
internal sealed class RequestExamples : ISchemaFilter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || ExampleOf(context.Type) is not { } example) return;
        target.Examples = [JsonSerializer.SerializeToNode(example, context.Type, Json)!];
    }

    /// <summary>The value of <paramref name="type"/>'s static <c>Example</c> property, if it has one of its own type.</summary>
    public static object? ExampleOf(Type type) =>
        type.GetProperty("Example", BindingFlags.Public | BindingFlags.Static) is { } property && property.PropertyType == type
            ? property.GetValue(null)
            : null;
}
