using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Security;

namespace Modular.Platform.Distribution.Topology;

/// <summary><c>GET /api/admin/modules</c>: every module, where it runs, its schema, what it sends and handles.</summary>
internal static class ModuleMapEndpoint
{
    public static void MapModuleMap(this IEndpointRouteBuilder app, IReadOnlyList<ModuleDefinition> available) =>
        app.MapGet("/api/admin/modules", (TopologyMap map, IReadOnlyList<MessageEdge> edges, IServiceProvider services) =>
                TypedResults.Ok(ModuleMapView.Of(map, available, edges, services.GetService<IInstanceDirectory>())))
            .WithTags("Admin").WithName("GetModuleMap").WithSummary("Get the module map")
            .RequireAuthorization(PlatformPermissions.Admin);
}
