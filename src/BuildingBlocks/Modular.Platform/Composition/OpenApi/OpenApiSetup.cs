using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Modular.Platform.Composition.OpenApi;

/// <summary>
/// One OpenAPI document per deployment at /swagger/v1/swagger.json, operations grouped by module tag. A gateway's
/// Swagger UI also lists each remote deployment's document, fetched through the gateway (<c>/openapi/&lt;deployment&gt;.json</c>),
/// so "Try it out" calls the same client-facing URLs. The document says what the server does (docs/errors.md,
/// ADR 0012): limits and required members from the same attributes and constants the use cases check
/// (<see cref="DocumentedRules"/>), every status an operation can answer with the one problem schema
/// (<see cref="ProblemResponses"/>), and request examples that succeed as they stand (<see cref="RequestExamples"/>).
/// Tests validate every response the suites receive against it.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = $"/swagger/{DocumentName}/swagger.json";
    public const string BearerScheme = "bearer";

    public static void AddModularOpenApi(this IServiceCollection services, string title)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = title,
                Version = DocumentName,
                Description = "Each tag is one module; its routes start with /api/<module>. Errors are application/problem+json " +
                              "with a `type` from the catalogue at /problems/<kind> (docs/errors.md). Bodies refuse members " +
                              "they do not list.",
            });
            // Relative: the document is right whichever address serves it (a deployment, or the gateway in front of it).
            options.AddServer(new OpenApiServer { Url = "/", Description = "The address this document was served from." });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token of the deployment's issuer. With make run: `make token` prints one with every role " +
                              "(`make token SUBJECT=alice ROLES=customer` a narrower one); paste it here.",
            });
            options.OperationFilter<DocumentedRules>();
            options.OperationFilter<ProblemResponses>();
            options.SchemaFilter<RequestExamples>();
            options.DocumentFilter<ProblemResponses>();
            // Money is decimal on the wire: say so, so generated clients do not round through double.
            options.MapType<decimal>(() => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "decimal" });
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
    }

    /// <param name="label">How the Swagger UI names this deployment's document.</param>
    /// <param name="others">Further documents the Swagger UI lists (a gateway's remote deployments'), by path.</param>
    /// <param name="swaggerUi">Whether Swagger UI is served at /swagger (the document is served either way).</param>
    public static void UseModularOpenApi(this WebApplication app, string title, string label, IEnumerable<(string Path, string Label)> others,
        bool swaggerUi)
    {
        app.UseSwagger();
        if (swaggerUi) UseSwaggerUi(app, title, label, others);
    }

    // A method of its own: a deployment without the UI never loads its assembly.
    private static void UseSwaggerUi(WebApplication app, string title, string label, IEnumerable<(string Path, string Label)> others) =>
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "swagger";
            ui.SwaggerEndpoint(DocumentPath, label);
            foreach (var (path, name) in others) ui.SwaggerEndpoint(path, name);
            ui.DocumentTitle = title;
            ui.EnablePersistAuthorization(); // one Authorize for every document the gateway lists
        });
}
