using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Modular.BuildingBlocks.Gateway;
using Modular.BuildingBlocks.Topology;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Modular.BuildingBlocks.OpenApi;

/// <summary>
/// One OpenAPI document per deployment at /swagger/v1/swagger.json, operations grouped by module tag. A gateway's
/// Swagger UI also lists each remote deployment's document, fetched through the gateway (<c>/openapi/&lt;deployment&gt;.json</c>),
/// so "Try it out" calls the same client-facing URLs.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = $"/swagger/{DocumentName}/swagger.json";

    public static void AddModularOpenApi(this IServiceCollection services, string title)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = title,
                Version = DocumentName,
                Description = "Each tag is one module; its routes start with /api/<module>.",
            });
            options.OperationFilter<WolverineOperationIdFilter>();
            // Money is decimal on the wire: say so, so generated clients do not round through double.
            options.MapType<decimal>(() => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "decimal" });
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
    }

    public static void UseModularOpenApi(this WebApplication app, string title, TopologyMap topology)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "swagger";
            ui.SwaggerEndpoint(DocumentPath, topology.IsSingleDeployment ? title : $"{title}: {topology.Current.Name} (this deployment)");
            foreach (var remote in GatewayRoutes.Remote(topology))
                ui.SwaggerEndpoint(GatewayRoutes.DocumentPath(remote), $"{title}: {remote.Name} ({string.Join(", ", remote.Modules.Select(m => m.Name))})");
            ui.DocumentTitle = title;
        });
    }

    /// <summary>Swashbuckle does not read Wolverine's operation ids by itself.</summary>
    private sealed class WolverineOperationIdFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor is not WolverineActionDescriptor { Chain: { } chain }) return;
            operation.OperationId = chain.OperationId;
            operation.Summary = chain.EndpointSummary;
            operation.Description = chain.EndpointDescription;
        }
    }
}
