using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Health;
using Modular.Platform.Composition.Modules;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Modular.Platform.Composition.Fencing;

/// <summary>
/// The module fence (ADR 0029) wired in: the flags and their watch, the readiness check, the HTTP gate in front of
/// each module's routes (REST and gRPC), and the handler gate with its retry policy.
/// </summary>
internal static class ModuleFences
{
    /// <summary>How soon a fenced request or message is worth trying again: a data move's catch-up takes about a second.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Marks a fenced module's 503: nothing was done, so a gateway may send the request to another instance.</summary>
    public const string FencedHeader = "Modular-Fenced";

    public static void Add(IServiceCollection services, ActiveModules modules,
        IReadOnlyList<(ModuleDefinition Module, string ConnectionString)> stores, TimeSpan interval)
    {
        var fence = new ModuleFence(modules);
        services.AddSingleton(fence);
        services.AddSingleton<IHostedService>(provider =>
            new ModuleFenceWatch(fence, stores, interval, provider.GetRequiredService<ILogger<ModuleFenceWatch>>()));
        services.AddHealthChecks().Add(new HealthCheckRegistration("fences", new ModuleFence.Readiness(fence), HealthStatus.Unhealthy,
            [HealthEndpoints.ReadyTag]));
    }

    /// <summary>A fenced message goes back to wait (scheduled, in the durable inbox) as often as it takes: it is not failing.</summary>
    public static void Apply(WolverineOptions opts) => opts.OnException<ModuleFencedException>().ScheduleRetryIndefinitely(RetryAfter);

    /// <summary>The handlers' side of the fence: each handler of a module starts by entering its gate.</summary>
    public static IHandlerPolicy HandlerGate(ActiveModules modules) => new Gate(modules);

    /// <summary>Before authentication: a request to a fenced module is answered 503 before anything else looks at it.</summary>
    public static void UseModuleFences(this WebApplication app)
    {
        var fence = app.Services.GetRequiredService<ModuleFence>();
        var routes = fence.Gates.Select(g => (Gate: g, Prefix: new PathString(g.Module.RoutePrefix),
            Grpc: $"/modular.{g.Module.Name.ToLowerInvariant()}.")).ToArray(); // a module's gRPC package (ModularGrpc.PackageOf)
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            foreach (var (gate, prefix, grpc) in routes)
            {
                if (!path.StartsWithSegments(prefix) && !(path.Value ?? "").StartsWith(grpc, StringComparison.Ordinal)) continue;
                if (!gate.TryEnter(out var ticket))
                {
                    await RefuseAsync(context, gate.Module);
                    return;
                }

                using (ticket) await next(context);
                return;
            }

            await next(context);
        });
    }

    private static Task RefuseAsync(HttpContext context, ModuleDefinition module)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers[FencedHeader] = module.Name;
        context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The module is moving.",
                Detail = $"Module {module.Name}'s data is moving to another database. Send the same request again in {RetryAfter.TotalSeconds:0} s.",
            },
        }).AsTask();
    }

    /// <summary>Each handler of a module starts by entering its gate, and leaves it when it is done.</summary>
    private sealed class Gate(ActiveModules modules) : IHandlerPolicy
    {
        public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
        {
            foreach (var chain in chains.SelectMany(c => c.ByEndpoint.Prepend(c)))
            {
                if (modules.SoleOwnerOf(chain.Handlers.Select(h => h.HandlerType)) is not { } module) continue;
                var enter = new MethodCall(typeof(ModuleFence), nameof(ModuleFence.Enter));
                enter.Arguments[1] = new Variable(typeof(string), "\"" + module.Name + "\"");
                chain.Middleware.Insert(0, enter);
            }
        }
    }
}
