using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Modular.Platform.Composition.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Modular.Platform.Composition.OpenApi;

/// <summary>
/// Every status an operation can answer, as the rules before and around the use case produce them (docs/errors.md):
/// 400 where there is a body or a parameter to get wrong, 404 where the path holds an id, 408, 413 and 415 where there is a body,
/// 409 on every write (one that keeps losing a race past the cooldown, see <c>WriteRequests</c>), 429 on module routes
/// (rate limits), 406/500/502/503/504 everywhere; and none it cannot (a 404 on a list). Every error is <c>application/problem+json</c> with
/// the one <c>ProblemDetails</c> schema, which describes exactly the members the server writes.
/// </summary>
internal sealed class ProblemResponses : IOperationFilter, IDocumentFilter
{
    public const string SchemaName = nameof(ProblemDetails);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        var hasBody = operation.RequestBody is not null;
        var parameters = operation.Parameters ?? [];
        var hasPathId = parameters.Any(p => p.In == ParameterLocation.Path);

        var secured = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()
                      && !context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        Declare(operation, StatusCodes.Status400BadRequest, hasBody || parameters.Count > 0);
        Declare(operation, StatusCodes.Status401Unauthorized, secured);
        Declare(operation, StatusCodes.Status403Forbidden, secured);
        Declare(operation, StatusCodes.Status404NotFound, hasPathId);
        Declare(operation, StatusCodes.Status406NotAcceptable, true);
        Declare(operation, StatusCodes.Status408RequestTimeout, hasBody);
        Declare(operation, StatusCodes.Status413PayloadTooLarge, hasBody);
        Declare(operation, StatusCodes.Status415UnsupportedMediaType, hasBody);
        Declare(operation, StatusCodes.Status409Conflict, !HttpMethods.IsGet(context.ApiDescription.HttpMethod ?? "GET"));
        Declare(operation, StatusCodes.Status429TooManyRequests, IsModuleOperation(context));
        Declare(operation, StatusCodes.Status500InternalServerError, true);
        Declare(operation, StatusCodes.Status503ServiceUnavailable, true);
        // A gateway may stand in front of any deployment (the document cannot know): its hop failures are declared too.
        Declare(operation, StatusCodes.Status502BadGateway, true);
        Declare(operation, StatusCodes.Status504GatewayTimeout, true);

        var problem = new OpenApiSchemaReference(SchemaName, context.Document);
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(status, out var code) || code < 400) continue;
            var kind = ProblemTypes.ForStatus(code);
            operation.Responses[status] = new OpenApiResponse
            {
                Description = $"{kind.Title} Problem type {kind.Uri}.",
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    [ProblemJsonWriter.ContentType] = new OpenApiMediaType { Schema = problem },
                },
                Headers = code == StatusCodes.Status401Unauthorized
                    ? new Dictionary<string, IOpenApiHeader>
                    {
                        ["WWW-Authenticate"] = new OpenApiHeader
                        {
                            Description = "Bearer, with the reason a token was refused (RFC 6750).",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                    }
                    : code is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests
                    ? new Dictionary<string, IOpenApiHeader>
                    {
                        ["Retry-After"] = new OpenApiHeader
                        {
                            Description = "Seconds to wait before sending the same request again.",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                        },
                    }
                    : response.Headers,
            };
        }
    }

    /// <summary>Rate limits apply to the modules' routes, <c>/api/&lt;module&gt;/…</c>, not to the admin API.</summary>
    private static bool IsModuleOperation(OperationFilterContext context) =>
        context.ApiDescription.RelativePath is { } path && path.StartsWith("api/", StringComparison.Ordinal)
        && !path.StartsWith("api/admin/", StringComparison.Ordinal);

    /// <summary>The problem schema as <see cref="ProblemShapes"/> writes it; replaces Swashbuckle's reflection of the class.</summary>
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[SchemaName] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem. Branch on `type` (docs/errors.md); `errors` names fields as sent; the log has the details under `traceId`.",
            Required = new HashSet<string> { "type", "title", "status", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Pattern = $"^{ProblemTypes.PathPrefix}[a-z-]+$" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ProblemTypes.MaxDetailLength + 1 },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$" },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Field → messages, for invalid-request and unprocessable problems.",
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array, MinItems = 1,
                        Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ProblemTypes.MaxDetailLength + 1 },
                    },
                },
            },
            AdditionalPropertiesAllowed = false,
        };
    }

    private static void Declare(OpenApiOperation operation, int status, bool possible)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!possible) operation.Responses!.Remove(key);
        else if (!operation.Responses!.ContainsKey(key)) operation.Responses[key] = new OpenApiResponse();
    }
}
