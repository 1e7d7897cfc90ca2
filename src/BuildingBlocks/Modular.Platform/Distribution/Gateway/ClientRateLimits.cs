using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.GrpcApi;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Security;
using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Distribution.Gateway;

/// <summary>How many requests one client may send to one module: a token bucket, refilled every second.</summary>
public sealed record RateLimit
{
    /// <summary>Requests per second a client may keep sending to the module; 0 switches the limit off.</summary>
    public int PermitsPerSecond { get; init; }

    /// <summary>How many a client may send at once after a quiet spell (the bucket's size); at least <see cref="PermitsPerSecond"/>.</summary>
    public int Burst { get; init; }
}

/// <summary>
/// Per-client rate limits where clients come in (the gateway, or each deployment when no gateway is named): one token
/// bucket per module and client — the token's subject, else the remote address — from <c>Modular:RateLimits</c>
/// (<c>PermitsPerSecond</c>, <c>Burst</c>; a module's own under <c>Modular:RateLimits:Modules:&lt;Module&gt;</c>).
/// Over the limit: 429 ProblemDetails with <c>Retry-After</c> (a gRPC call: RESOURCE_EXHAUSTED with <c>RetryInfo</c>),
/// before the request reaches a module or is forwarded; a module's REST routes and gRPC services share its bucket.
/// Health, documents and the admin API are not limited. Default: 100 per second, bursts of 200 (ADR 0013).
/// <c>ConcurrentRequests</c> also caps the requests one client has in flight over all modules (off by default): a
/// client holding connections open with slow bodies or slow calls is refused the next one the same way.
/// </summary>
public static class ClientRateLimits
{
    public static readonly RateLimit Default = new() { PermitsPerSecond = 100, Burst = 200 };

    public static void AddClientRateLimits(this IServiceCollection services, TopologyMap topology, RateLimitOptions options)
    {
        if (topology.Gateway is not null && !topology.IsGateway) return; // behind the gateway: it limits
        var fallback = Limit(options.PermitsPerSecond, options.Burst, Default);
        // A module's REST routes and its gRPC services (/modular.<module>.*) share one bucket per client.
        var limits = topology.Deployments.SelectMany(d => d.Modules)
            .Select(m => (Module: m, Limit: options.Modules.TryGetValue(m.Name, out var own) ? Limit(own.PermitsPerSecond, own.Burst, fallback) : fallback))
            .Where(m => m.Limit.PermitsPerSecond > 0)
            .SelectMany(m => new[] { m.Module.RoutePrefix + "/", "/" + ModularGrpc.PackageOf(m.Module) }
                .Select(prefix => (Prefix: prefix, m.Module.Name, m.Limit)))
            .ToList();
        var concurrent = options.ConcurrentRequests ?? 0;
        if (limits.Count == 0 && concurrent <= 0) return;
        var modulePaths = topology.Deployments.SelectMany(d => d.Modules)
            .SelectMany(m => new[] { m.RoutePrefix + "/", "/" + ModularGrpc.PackageOf(m) }).ToList();

        services.AddSingleton(new Limited());
        services.AddRateLimiter(rateLimits =>
        {
            var perSecond = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = context.Request.Path.Value ?? "";
                foreach (var (prefix, module, limit) in limits)
                {
                    if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                    return RateLimitPartition.GetTokenBucketLimiter($"{module}|{ClientOf(context)}", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(limit.Burst, limit.PermitsPerSecond),
                        TokensPerPeriod = limit.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
                }

                return RateLimitPartition.GetNoLimiter("unlimited");
            });
            rateLimits.GlobalLimiter = concurrent <= 0 ? perSecond : PartitionedRateLimiter.CreateChained(perSecond,
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    modulePaths.Any(prefix => context.Request.Path.Value?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true)
                        ? RateLimitPartition.GetConcurrencyLimiter(ClientOf(context), _ => new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 })
                        : RateLimitPartition.GetNoLimiter("unlimited")));
            rateLimits.OnRejected = RejectAsync;
        });
    }

    public static void UseClientRateLimits(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<Limited>() is not null) app.UseRateLimiter();
    }

    /// <summary>Unset members fall back; a rate set without a burst has none beyond the rate.</summary>
    private static RateLimit Limit(int? permitsPerSecond, int? burst, RateLimit fallback) => new()
    {
        PermitsPerSecond = permitsPerSecond ?? fallback.PermitsPerSecond,
        Burst = burst ?? (permitsPerSecond is null ? fallback.Burst : 0),
    };

    private static string ClientOf(HttpContext context) =>
        Caller.Of(context.User).Subject is { } subject ? "sub:" + subject : "ip:" + context.Connection.RemoteIpAddress;

    private static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Detail = $"This client sent more requests to the module than it may (per second, or at once); send again after {seconds} s.",
        };
        // A gRPC call gets RESOURCE_EXHAUSTED with the wait as RetryInfo.
        if (InputGuard.IsGrpc(context.Request)) return new ValueTask(GrpcErrors.RefuseCallAsync(context, problem, TimeSpan.FromSeconds(seconds)));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }

    /// <summary>Marks that some module is limited, so the middleware is added.</summary>
    private sealed class Limited;
}
