using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Fencing;
using Modular.Platform.Composition.Health;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Distribution.Topology;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Modular.Platform.Distribution.Gateway;

/// <summary>
/// The API gateway: in the deployment the map names <c>Modular:Topology:Gateway</c>, the routes of modules hosted
/// elsewhere are forwarded by YARP to their deployment, so client URLs do not change when a module is extracted.
/// Instances come from Microsoft.Extensions.ServiceDiscovery (<c>Services:&lt;deployment&gt;:http:0..n</c>, else
/// DNS); they are load-balanced, probed on <c>/health/ready</c>, and taken out when a call to them fails.
/// </summary>
public static class ModuleGateway
{
    public static void AddModuleGateway(this IServiceCollection services, TopologyMap topology, GatewayOptions settings)
    {
        if (topology.IsGateway) AddGateway(services, topology, settings);
    }

    /// <summary>
    /// Kept out of the public methods' bodies: the runtime loads YARP and service discovery when it compiles a method
    /// that names their types, and a deployment that is not a gateway should never load them.
    /// </summary>
    private static void AddGateway(IServiceCollection services, TopologyMap topology, GatewayOptions settings)
    {
        services.AddServiceDiscovery();
        services.AddSingleton<IForwarderHttpClientFactory>(new BoundedConnectClientFactory(settings.ConnectTimeout));
        services.AddReverseProxy()
            .LoadFromMemory(GatewayRoutes.Routes(topology), GatewayRoutes.Clusters(topology, settings))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms => transforms.AddResponseTransform(NoteFenced));
        services.AddHealthChecks().AddCheck<RemoteDeploymentsHealthCheck>("deployments", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<IInstanceDirectory, GatewayInstances>();
        services.AddSingleton(new GatewayMetrics(topology.Current.Name));
    }

    /// <summary>When the gateway's metrics are scraped, notes when each request arrived: call first in the pipeline.</summary>
    public static void UseGatewayArrivalTimes(this WebApplication app, TopologyMap topology, MetricsOptions metrics)
    {
        if (!topology.IsGateway || !metrics.Enabled) return;
        app.Use((context, next) =>
        {
            GatewayMetrics.MarkArrival(context);
            return next(context);
        });
    }

    public static void MapModuleGateway(this WebApplication app, TopologyMap topology)
    {
        if (topology.IsGateway) MapGateway(app);
    }

    private static void MapGateway(WebApplication app)
    {
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(ForwardOrExplainAsync);
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
    }

    private static readonly object Fenced = new();

    /// <summary>An instance whose module is fenced (ADR 0029) did nothing: its answer is kept from the client, to try another.</summary>
    private static ValueTask NoteFenced(ResponseTransformContext transform)
    {
        if (transform.ProxyResponse is { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable } response
            && response.Headers.Contains(ModuleFences.FencedHeader))
        {
            transform.SuppressResponseBody = true;
            transform.HttpContext.Items[Fenced] = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends the request to another instance when the chosen one refused the connection or answered that its module is
    /// fenced (nothing was done either way, so even a POST is safe to resend), and turns what YARP leaves as a bare
    /// status into ProblemDetails.
    /// </summary>
    private static async Task ForwardOrExplainAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var healthy = proxy.AvailableDestinations;
        if (proxy.AllDestinations.Count > 1) context.Request.EnableBuffering();
        var metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
        var remote = RemoteOf(proxy.Cluster.Config.ClusterId);
        List<DestinationState>? tried = null; // only when a request is sent again

        await metrics.MeasureAsync(context, remote, next);
        while (!context.Response.HasStarted && proxy.ProxiedDestination is { } last)
        {
            var fenced = context.Items.ContainsKey(Fenced);
            if (!fenced && !(context.GetForwarderErrorFeature() is { } failure && NothingWasSent(failure))) break;
            (tried ??= []).Add(last);
            // After a refused connection, the healthy ones left; after a fence, any other: the one that just came out of
            // its fence counts as unhealthy until the next probe (one that is really down refuses the connection in turn).
            var left = (fenced ? proxy.AllDestinations : healthy).Where(d => !tried.Contains(d)).ToList();
            if (left.Count == 0) break;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Items.Remove(Fenced);
            if (fenced) context.Response.Clear(); // the fenced answer's status and headers, copied but not sent
            else context.Response.StatusCode = StatusCodes.Status200OK;
            context.Request.Body.Position = 0;
            proxy.AvailableDestinations = left;
            await metrics.MeasureAsync(context, remote, next);
        }

        if (context.GetForwarderErrorFeature() is { } error && !context.Response.HasStarted)
            await WriteProblemAsync(context, Target(context, remote), error.Error);
        else if (context.Items.ContainsKey(Fenced) && !context.Response.HasStarted) // every instance fenced: the switch is under way
        {
            context.Response.Clear();
            await WriteProblemAsync(context, Target(context, remote), ForwarderError.NoAvailableDestinations);
        }
    }

    /// <summary>The deployment behind a cluster (its HTTP or its gRPC one).</summary>
    private static string RemoteOf(string clusterId) =>
        GatewayRoutes.IsGrpcCluster(clusterId) ? clusterId[..^GatewayRoutes.GrpcClusterSuffix.Length] : clusterId;

    /// <summary>What the client asked for, in its words: "module Ordering (deployment ordering)".</summary>
    private static string Target(HttpContext context, string deployment) =>
        context.GetRouteModel().Config.RouteId is { } route && route.StartsWith(GatewayRoutes.ModuleRoutePrefix, StringComparison.Ordinal)
            ? $"module {route[GatewayRoutes.ModuleRoutePrefix.Length..]} (deployment {deployment})"
            : $"deployment {deployment}";

    private static bool NothingWasSent(IForwarderErrorFeature failure) =>
        failure.Error == ForwarderError.Request
        && failure.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private static Task WriteProblemAsync(HttpContext context, string target, ForwarderError error)
    {
        var (status, title, detail) = error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "The module did not answer in time.",
                $"The {target} did not answer within the gateway's timeout."),
            ForwarderError.NoAvailableDestinations or ForwarderError.Request => (StatusCodes.Status503ServiceUnavailable,
                "The module is not reachable.", $"No instance of the {target} answered the request; try again shortly."),
            _ => (StatusCodes.Status502BadGateway, "The module's answer was cut off.",
                $"The {target} failed while answering ({error})."),
        };
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    /// <summary>YARP's client, with a connect timeout short enough that a dead address fails fast instead of hanging.</summary>
    private sealed class BoundedConnectClientFactory(TimeSpan connectTimeout) : ForwarderHttpClientFactory
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.ConnectTimeout = connectTimeout;
        }
    }
}
