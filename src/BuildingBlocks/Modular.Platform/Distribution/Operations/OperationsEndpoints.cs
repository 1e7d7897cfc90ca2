using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Composition.Security;
using Modular.Platform.Distribution.Topology;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;
using MetricsOptions = Modular.Platform.Composition.Observability.MetricsOptions;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// The operations page (<c>/ops</c>) and what it reads. <c>GET /api/admin/ops</c>: the module map and, per deployment,
/// instances and health, per-module backlog and dead letters, the message ledger and the modules' speeds — on the gateway, every deployment's (it asks each
/// remote one's <c>GET /api/admin/ops/work</c>, with the caller's token, and answers <c>down</c> at once for a deployment
/// whose instances the health checks took out). <c>POST /api/admin/ops/deployments/{deployment}/dead-letters/{id}/replay</c>
/// replays a dead letter wherever it is. Reading and replaying are admin-only in every environment (the page asks for
/// a token: <c>make token</c> in Development). The page is static and holds no data.
/// </summary>
public static class OperationsEndpoints
{
    public const string PagePath = "/ops";
    public const string Route = "/api/admin/ops";
    private const string HttpClientName = "modular-operations";
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>How long the gateway waits for a remote deployment's answer before calling it down.</summary>
    public static readonly TimeSpan RemotePatience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The operations view and, when metrics are on, the backlog gauges' sampler and the modules' speeds (read from the
    /// meters the metrics switch on: with metrics off they are not measured at all).
    /// </summary>
    internal static void AddOperations(this IServiceCollection services, TopologyMap topology, MetricsOptions metrics)
    {
        services.AddHttpClient(HttpClientName, http => http.Timeout = RemotePatience);
        if (!metrics.Enabled) return;
        services.AddSingleton<ModuleSpeeds>();
        services.AddHostedService(provider => new BacklogMetrics(provider.GetRequiredService<BacklogReader>(), topology,
            provider.GetRequiredService<IReadOnlyList<MessageEdge>>(), TimeSpan.FromSeconds(Math.Max(1, metrics.BacklogSeconds)),
            provider.GetRequiredService<ILogger<BacklogMetrics>>()));
    }

    internal static void MapOperations(this WebApplication app, IReadOnlyList<ModuleDefinition> available)
    {
        _ = app.Services.GetService<ModuleSpeeds>(); // listening from the start
        app.MapGet(PagePath, () => TypedResults.Text(OperationsPage.Html, "text/html; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous(); // the page is static: the data behind it is what is guarded

        var reads = app.MapGroup(Route).WithTags("Admin").RequireAuthorization(PlatformPermissions.Admin);
        reads.MapGet("", (HttpContext context, TopologyMap map, IReadOnlyList<MessageEdge> edges, IServiceProvider services, CancellationToken ct) =>
                ViewAsync(context, map, available, edges, services, ct))
            .WithName("GetOperationsView").WithSummary("See every deployment: module map, instances, backlog, dead letters");
        reads.MapGet("/work", async (IServiceProvider services, CancellationToken ct) => TypedResults.Ok(await WorkAsync(services, ct)))
            .WithName("GetDeploymentWork").WithSummary("This deployment's backlog per module and dead letters");
        reads.MapGet("/counts", (IServiceProvider services) => TypedResults.Ok(CountsOf(services)))
            .WithName("GetProcessCounts").WithSummary("This process's message ledger and module speeds");

        app.MapPost($"{Route}/deployments/{{deployment}}/dead-letters/{{id:guid}}/replay", ReplayAsync)
            .WithTags("Admin").WithName("ReplayDeadLetterOfDeployment").WithSummary("Replay a dead letter of any deployment")
            .RequireAuthorization(PlatformPermissions.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Ok<OperationsView>> ViewAsync(HttpContext context, TopologyMap map, IReadOnlyList<ModuleDefinition> available,
        IReadOnlyList<MessageEdge> edges, IServiceProvider services, CancellationToken ct)
    {
        var instances = services.GetService<IInstanceDirectory>();
        var described = ModuleMapView.Of(map, available, edges, instances);
        var statuses = await Task.WhenAll(map.Deployments.Select(async deployment =>
        {
            if (deployment == map.Current)
            {
                // The gateway knows its own deployment's instances; anywhere else, this process is the one that answers.
                var here = instances?.InstancesOf(deployment.Name) ?? [new InstanceView($"{context.Request.Scheme}://{context.Request.Host} (this process)", "Healthy")];
                try
                {
                    var work = await WorkAsync(services, ct);
                    // Several instances of the gateway's deployment: the ledger is each one's, so all are asked (this one too).
                    var live = here.Where(i => i.Health != "Unhealthy").ToList();
                    if (live.Count > 1) work = await WithEveryInstanceAsync(context, services, deployment, live, work, ct);
                    return DeploymentStatus.Of(deployment, "up", here, work, null);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    return DeploymentStatus.Of(deployment, "degraded", here, null,
                        "This deployment answers, but its message store or broker did not (see its log and /health/ready).");
                }
            }

            if (instances?.InstancesOf(deployment.Name) is not { } known)
                return DeploymentStatus.Of(deployment, "unknown", null, null,
                    map.Gateway is { } gateway ? $"Ask the gateway ({gateway.Name}): it sees every deployment." : "No gateway sees the other deployments.");
            var remote = await RemoteWorkAsync(context, services, deployment, known, ct);
            return DeploymentStatus.Of(deployment, remote.Status, known, remote.Work, remote.Problem);
        }));
        return TypedResults.Ok(new OperationsView(map.Current.Name, map.Gateway?.Name, map.Transport.ToString(), described.Modules,
            described.Edges, statuses, services.GetRequiredService<ModularOptions>().Metrics.Enabled ? Telemetry.MetricsPath : null));
    }

    private static async Task<DeploymentWork> WorkAsync(IServiceProvider services, CancellationToken ct)
    {
        var backlog = await services.GetRequiredService<BacklogReader>().ReadAsync(ct);
        var letters = await DeadLetterEndpoints.ReadAsync(services.GetRequiredService<IWolverineRuntime>(), null, 100, ct);
        var counts = CountsOf(services);
        return new DeploymentWork(backlog, letters, counts.Ledger, counts.Speeds);
    }

    private static ProcessCounts CountsOf(IServiceProvider services) =>
        new(services.GetService<MessageLedger>()?.Snapshot() ?? [], services.GetService<ModuleSpeeds>()?.Snapshot() ?? []);

    /// <summary>
    /// The ledger and speeds of a deployment that runs several instances: each counts its own messages, so every live
    /// one is asked and their counts added (an instance that does not answer in time is left out).
    /// </summary>
    private static async Task<DeploymentWork> WithEveryInstanceAsync(HttpContext context, IServiceProvider services, Deployment deployment,
        IReadOnlyList<InstanceView> live, DeploymentWork work, CancellationToken ct)
    {
        var answers = await Task.WhenAll(live.Select(async instance =>
        {
            try
            {
                using var response = await Send(context, services, HttpMethod.Get, new Uri(ManagementListener.AddressOf(services, deployment, instance), $"{Route}/counts"), ct);
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ProcessCounts>(Json, ct) : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
            {
                return null;
            }
        }));
        var counts = answers.OfType<ProcessCounts>().ToList();
        return counts.Count == 0 ? work : work with { Ledger = ProcessCounts.AddLedgers(counts), Speeds = ProcessCounts.AddSpeeds(counts) };
    }

    /// <summary>
    /// A remote deployment's work, from the first of its live instances that answers: <c>up</c> with its work,
    /// <c>down</c> when none answers, <c>unknown</c> when one answers but refuses (e.g. the token is not an admin's there).
    /// </summary>
    private static async Task<RemoteWork> RemoteWorkAsync(HttpContext context, IServiceProvider services, Deployment deployment,
        IReadOnlyList<InstanceView> instances, CancellationToken ct)
    {
        var live = instances.Where(i => i.Health != "Unhealthy").ToList();
        if (live.Count == 0) return new RemoteWork("down", null, "Every instance failed its health checks.");
        var remote = await AskInstancesAsync(live,
                   instance => Send(context, services, HttpMethod.Get, new Uri(ManagementListener.AddressOf(services, deployment, instance), $"{Route}/work"), ct),
                   async response => response.IsSuccessStatusCode
                       ? new RemoteWork("up", await response.Content.ReadFromJsonAsync<DeploymentWork>(Json, ct), null)
                       : response.StatusCode == System.Net.HttpStatusCode.NotFound
                           ? new RemoteWork("unknown", null, $"It has no admin API where it was asked (404): is {ManagementListener.UrlKey} the same on every deployment?")
                           : (int)response.StatusCode is >= 400 and < 500
                               ? new RemoteWork("unknown", null, $"It refused to say ({(int)response.StatusCode}): its admin API needs an admin's token.")
                               : null,
                   ct)
               ?? new RemoteWork("down", null, $"No instance answered within {RemotePatience.TotalSeconds:0} s.");
        return remote.Work is { } work && live.Count > 1
            ? remote with { Work = await WithEveryInstanceAsync(context, services, deployment, live, work, ct) }
            : remote;
    }

    private sealed record RemoteWork(string Status, DeploymentWork? Work, string? Problem);

    /// <summary>
    /// Asks each live instance in turn until <paramref name="answer"/> makes something of one's response (null: ask the
    /// next); an instance that cannot be reached in time is skipped. Null when no instance gave an answer.
    /// </summary>
    private static async Task<T?> AskInstancesAsync<T>(IEnumerable<InstanceView> live, Func<InstanceView, Task<HttpResponseMessage>> ask,
        Func<HttpResponseMessage, Task<T?>> answer, CancellationToken ct) where T : class
    {
        foreach (var instance in live)
        {
            try
            {
                using var response = await ask(instance);
                if (await answer(response) is { } result) return result;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // the next instance, if any
            }
        }

        return null;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(string deployment, Guid id, HttpContext context,
        TopologyMap map, IWolverineRuntime runtime, HandlerGraph handlers, IMessageContext bus, IServiceProvider services, CancellationToken ct)
    {
        var target = map.Deployments.FirstOrDefault(d => string.Equals(d.Name, deployment, StringComparison.OrdinalIgnoreCase));
        if (target is null) return TypedResults.Problem(Problems.NotFound("Deployment", deployment));
        if (target == map.Current) return await DeadLetterEndpoints.ReplayAsync(id, runtime, handlers, bus, ct);

        var live = services.GetService<IInstanceDirectory>()?.InstancesOf(target.Name)?.Where(i => i.Health != "Unhealthy").ToList() ?? [];
        var answered = await AskInstancesAsync(live,
            instance => Send(context, services, HttpMethod.Post, new Uri(ManagementListener.AddressOf(services, target, instance), $"{DeadLetterEndpoints.Route}/{id}/replay"), ct),
            response => Task.FromResult(Replayed(response)), ct);
        return answered ?? TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The deployment is not reachable.",
            Detail = $"No instance of the deployment {target.Name} took the replay; try again when it is up.",
        });

        // What one instance's answer means; null: ask the next.
        Results<Accepted, ProblemHttpResult>? Replayed(HttpResponseMessage response)
        {
            if (response.IsSuccessStatusCode) return TypedResults.Accepted((string?)null);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return TypedResults.Problem(Problems.NotFound("Dead letter", id));
            if ((int)response.StatusCode is not (401 or 403)) return null;
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = (int)response.StatusCode,
                Title = "The deployment refused the replay.",
                Detail = $"The deployment {target.Name} does not take this token as an admin's.",
            });
        }
    }

    /// <summary>A call to another deployment's admin API for the caller (their token travels with it).</summary>
    private static Task<HttpResponseMessage> Send(HttpContext context, IServiceProvider services, HttpMethod method, Uri url, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, url);
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers[HeaderNames.Authorization], out var authorization))
            request.Headers.Authorization = authorization;
        return services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName).SendAsync(request, ct);
    }
}
