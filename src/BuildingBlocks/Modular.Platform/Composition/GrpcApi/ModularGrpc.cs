using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.GrpcApi;

/// <summary>
/// gRPC beside REST, for the hot paths: a module that has a <c>.proto</c> and a class deriving from its generated
/// service base gets it mapped in the deployment that hosts it; the gateway forwards it from anywhere else
/// (<see cref="Gateway.GatewayRoutes"/>). A module's services live in the proto package <c>modular.&lt;module&gt;.*</c>,
/// as its REST routes live under <c>/api/&lt;module&gt;</c>: a service outside it stops the deployment.
/// gRPC needs HTTP/2, which Kestrel speaks without TLS only on an endpoint that speaks nothing else: it gets its own
/// listener, <c>Modular:GrpcUrl</c> (e.g. <c>http://*:8081</c>), added to the deployment's URLs. Unset: no gRPC listener
/// (an in-memory test server speaks HTTP/2 anyway).
/// </summary>
public static class ModularGrpc
{
    public const string UrlKey = "Modular:GrpcUrl";

    public static void AddModularGrpc(this WebApplicationBuilder builder, string? grpcUrl, long maxMessageSize)
    {
        builder.Services.AddGrpc(grpc =>
        {
            // gRPC lifts Kestrel's body limit for its streams and checks each message against this one instead.
            grpc.MaxReceiveMessageSize = (int)Math.Min(maxMessageSize, int.MaxValue);
            grpc.Interceptors.Add<GrpcErrors>();
            grpc.IgnoreUnknownServices = true; // the gateway's routes (or a 404) answer them
            grpc.EnableDetailedErrors = false; // never: exception text stays in the log
        });
        // Services bound by our binder, not gRPC's: a request that is not protobuf is the client's error, not UNKNOWN.
        builder.Services.Remove(builder.Services.Single(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(StrictRequestMethods<>));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped(typeof(ModuleWrites<>));

        if (grpcUrl is not { Length: > 0 } text) return;
        var port = ListenerUrls.Add(builder, UrlKey, text, "http://*:8081 (gRPC without TLS)");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
        {
            if (endpoint.IPEndPoint?.Port == port) endpoint.Protocols = HttpProtocols.Http2;
        }));
    }

    public static void MapModuleGrpc(this IEndpointRouteBuilder app, ActiveModules modules)
    {
        var map = typeof(GrpcEndpointRouteBuilderExtensions).GetMethods().Single(m =>
            m is { Name: nameof(GrpcEndpointRouteBuilderExtensions.MapGrpcService), IsGenericMethodDefinition: true } && m.GetParameters().Length == 1);
        foreach (var module in modules.All)
        {
            foreach (var (implementation, name) in Services(module))
            {
                var package = PackageOf(module);
                if (!name.StartsWith(package, StringComparison.Ordinal))
                    throw new ModularConfigurationException(
                        $"{implementation.FullName} serves gRPC service '{name}', outside module {module.Name}'s package '{package}*'.");
                map.MakeGenericMethod(implementation).Invoke(null, [app]);
            }
        }
    }

    /// <summary>The full names of a module's gRPC services (<c>modular.ordering.v1.Orders</c>): the gateway's routes.</summary>
    public static IReadOnlyList<string> ServiceNames(ModuleDefinition module) => Services(module).Select(s => s.Name).ToList();

    public static string PackageOf(ModuleDefinition module) => $"modular.{module.Name.ToLowerInvariant()}.";

    /// <summary>Classes of the module deriving from a generated service base (it carries <see cref="BindServiceMethodAttribute"/>).</summary>
    private static IEnumerable<(Type Implementation, string Name)> Services(ModuleDefinition module) =>
        module.Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .Select(t => (Implementation: t, Binding: t.BaseType?.GetCustomAttribute<BindServiceMethodAttribute>()))
            .Where(s => s.Binding is not null)
            .Select(s => (s.Implementation, ((Google.Protobuf.Reflection.ServiceDescriptor)s.Binding!.BindType.GetProperty("Descriptor")!.GetValue(null)!).FullName));
}
