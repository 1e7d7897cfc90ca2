using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.Platform.Composition.Health;
using Modular.Platform.Distribution;
using Modular.Platform.Distribution.Gateway;
using Modular.Platform.Distribution.Handover;
using Modular.Platform.Distribution.Operations;
using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Distribution.Setup;

/// <summary>What a deployment needs because there may be others: Distribution's services, registered in one place.</summary>
internal static class DistributionSetup
{
    /// <summary>
    /// Distribution: the map, the gateway in front of the other deployments, the operations view, the broker's health
    /// (<paramref name="broker"/>: set when this deployment exchanges messages over RabbitMQ), and the hand-over of what
    /// other deployments' stores hold for <paramref name="sharedStores"/> (the modules here with data in the shared database).
    /// </summary>
    public static void AddDistribution(this WebApplicationBuilder builder, ModularOptions options, TopologyMap topology,
        IReadOnlyList<MessageEdge> edges, string sharedConnectionString, Uri? broker,
        IReadOnlyList<(ModuleDefinition Module, string ConnectionString)> sharedStores)
    {
        var services = builder.Services;
        builder.AddManagementListener(options.ManagementUrl);
        services.AddSingleton(topology);
        services.AddSingleton(edges);
        services.AddModuleGateway(topology, options.Gateway);
        services.AddClientRateLimits(topology, options.RateLimits);
        services.AddSingleton(new BacklogReader.Source(sharedConnectionString, topology.StorageSchema));
        services.AddSingleton<BacklogReader>();
        services.AddOperations(topology, options.Metrics);
        services.AddSingleton(new MessageHandover.Settings(topology.StorageSchema, sharedStores, options.Topology.HandoverInterval));
        services.AddSingleton<MessageHandover>();
        services.AddHostedService(provider => provider.GetRequiredService<MessageHandover>());
        if (broker is not null)
        {
            services.AddSingleton(new RabbitMqHealthCheck.Target(broker));
            // Degraded, not unready: while the broker is away the outbox keeps what is accepted (docs/adr/0010).
            services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", HealthStatus.Degraded, [HealthEndpoints.ReadyTag]);
        }
    }
}
