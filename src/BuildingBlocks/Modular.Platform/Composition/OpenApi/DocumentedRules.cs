using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Modular.Platform.Composition.OpenApi;

/// <summary>
/// Names, ids, query parameters and security of endpoints as their code declares them: Swashbuckle reads neither
/// Wolverine's operation ids nor the C# signature of its query parameters. A query parameter of a non-nullable
/// reference type is required (the endpoint refuses its absence), and <c>[Range]</c>/<c>[StringLength]</c> on it
/// become the schema's limits. Bodies get theirs from the same attributes on the request records (Swashbuckle).
/// </summary>
internal sealed class DocumentedRules : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor is WolverineActionDescriptor { Chain: { } chain }) DescribeWolverine(operation, chain);

        // Who may call it: the bearer scheme, and the permission in the description Swagger UI shows.
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().FirstOrDefault() is { } authorize && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] }];
            if (authorize.Policy is { Length: > 0 } permission)
                operation.Description = $"{operation.Description}\n\nRequires permission `{permission}`.".Trim();
        }
    }

    private static void DescribeWolverine(OpenApiOperation operation, HttpChain chain)
    {
        operation.OperationId = chain.OperationId;
        operation.Summary = chain.EndpointSummary;
        operation.Description = chain.EndpointDescription;

        var parameters = chain.Method.Method.GetParameters();
        // Not thread-safe (it caches in a plain dictionary): one per operation described, never shared by hosts
        // that build their documents at the same time (a shared one once answered a test host's request with 500).
        var nullability = new NullabilityInfoContext();
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In != ParameterLocation.Query) continue;
            var declared = parameters.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (declared is null) continue;
            if (!declared.ParameterType.IsValueType && nullability.Create(declared).ReadState == NullabilityState.NotNull)
                parameter.Required = true;
            if (parameter.Schema is OpenApiSchema schema) Limit(schema, declared);
        }
    }

    private static void Limit(OpenApiSchema schema, ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
            schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
        }

        if (parameter.GetCustomAttribute<StringLengthAttribute>() is { } length)
        {
            schema.MaxLength = length.MaximumLength;
            if (length.MinimumLength > 0) schema.MinLength = length.MinimumLength;
        }
    }
}
