using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Fencing;
using Modular.Platform.Composition.GrpcApi;
using Modular.Platform.Composition.Health;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Messaging;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Composition.OpenApi;
using Modular.Platform.Composition.Persistence;
using Modular.Platform.Composition.Security;
using Modular.Platform.Distribution;
using Modular.Platform.Distribution.Gateway;
using Modular.Platform.Distribution.Operations;
using Modular.Platform.Distribution.Setup;
using Modular.Platform.Distribution.Topology;
using Npgsql;
using Wolverine;
using Wolverine.Http;

namespace Modular.Platform;

/// <summary>
/// Composes a host from modules: <c>builder.AddModular(modules)</c> before <c>Build()</c>,
/// <c>app.UseModular()</c> after. Everything a module contributes comes from its <see cref="ModuleDefinition"/>
/// and its assembly, and only in the deployment the topology map (or <c>Modular:Modules</c>) places it in.
/// The one place that wires both layers (ADR 0021): it reads the <c>Modular</c> section once
/// (<see cref="ModularOptions"/>), gives Composition its parts and this deployment's name, and Distribution the map.
/// </summary>
public static class ModularHost
{
    private const string Title = "Modular API";

    public static WebApplicationBuilder AddModular(this WebApplicationBuilder builder, IReadOnlyList<ModuleDefinition> available)
    {
        var configuration = builder.Configuration;
        var options = ModularOptions.Read(configuration);
        var topology = TopologyMap.Read(available, options);
        var edges = MessageEdges.Find(available);
        var modules = new ActiveModules(topology.Current.Modules);
        var roleSecret = options.Database.RoleSecret is { Length: > 0 } secret ? secret : null; // roles of their own (ADR 0013)
        var sharedConnectionString = SharedConnectionString(configuration, modules);
        if (roleSecret is not null) // the deployment's own login, not whoever the shared connection string names
            sharedConnectionString = ModuleRoles.MessagingConnectionString(sharedConnectionString, topology.Current.Name, roleSecret);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new AvailableModules(available));
        builder.Services.AddSingleton(TimeProvider.System);

        // Each module's store: its own database (ConnectionStrings:<Module>), or the shared one as its own role (ADR 0013).
        var stores = modules.All.ToDictionary(m => m, m => configuration.GetConnectionString(m.ConnectionStringName) is { } own
            ? (ConnectionString: ConnectionDefaults.Apply(own), Shared: false)
            : (ConnectionString: roleSecret is null ? sharedConnectionString : ModuleRoles.ConnectionString(sharedConnectionString, m, roleSecret),
                Shared: true));
        var guard = AddComposition(builder, options, available, modules, topology.Current.Name, sharedConnectionString, stores);
        var crossing = TransportSwitch.Crossing(topology, edges);
        var broker = topology.Transport == TransportKind.RabbitMQ ? TransportSwitch.RabbitMqUri(configuration) : null;
        builder.AddDistribution(options, topology, edges, sharedConnectionString, broker,
            stores.Where(s => s.Value.Shared).Select(s => (s.Key, s.Value.ConnectionString)).ToList());

        builder.Host.UseWolverine(opts =>
        {
            ModuleMessaging.Configure(opts, modules, new ModuleMessaging.Settings($"modular-{topology.Current.Name}",
                topology.StorageSchema, TransportSwitch.QueueSchema, sharedConnectionString, options.CodeGeneration,
                options.DurabilityMode, options.Durability, options.Parallelism, options.Database.ApplyChangesOnStartup));
            opts.Policies.Add(guard);
            if (!BenchSwitches.Off(BenchSwitches.HandlerTags)) opts.Policies.Add(new ModuleHandlerTags(modules, topology.Current.Name));
            if (!BenchSwitches.Off(BenchSwitches.Fences)) opts.Policies.Add(ModuleFences.HandlerGate(modules)); // ADR 0029
            TransportSwitch.Configure(opts, topology, edges, crossing, options, broker);
            if (!BenchSwitches.Off(BenchSwitches.Ledger)) MessageLedger.Apply(opts, modules); // ADR 0030
            // The one extension automatic discovery would find (Roslyn for handler code not generated ahead).
            opts.UseRuntimeCompilation();
        }, ExtensionDiscovery.ManualOnly); // automatic discovery loads every deployed assembly (YARP, RabbitMQ, ...) to look for extensions
        if (broker is not null) BrokerGate.Install(builder.Services, broker);
        return builder;
    }

    /// <summary>Composition: the modules this process runs, their stores, HTTP, OpenAPI, security, health, telemetry.</summary>
    private static ModuleBoundaryGuard AddComposition(WebApplicationBuilder builder, ModularOptions options,
        IReadOnlyList<ModuleDefinition> available, ActiveModules modules, string deployment, string sharedConnectionString,
        Dictionary<ModuleDefinition, (string ConnectionString, bool Shared)> stores)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddSingleton(modules);
        foreach (var value in modules.UniqueValues) services.AddSingleton(value); // what ModuleWrites answers 409 at once
        services.AddSingleton<ConnectionPools>();
        var guard = new ModuleBoundaryGuard(available, modules);
        services.AddSingleton(guard);
        services.AddStrictJsonBodies();

        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // before AddProblemDetails: ours is asked first
        services.AddProblemDetails(problem => problem.CustomizeProblemDetails = ProblemShapes.Customize);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddWolverineHttp();
        builder.AddRequestLimits(options.MaxRequestBodySize);
        builder.AddModularGrpc(options.GrpcUrl, options.MaxRequestBodySize);
        services.AddModularOpenApi(Title);
        services.AddModularAuthentication(options.Authentication, builder.Environment, available,
            cacheValidatedTokens: !BenchSwitches.Off(BenchSwitches.TokenCache));
        if (BenchSwitches.Off(BenchSwitches.Authentication))
            services.Configure<Microsoft.AspNetCore.Routing.RouteOptions>(routes => routes.SuppressCheckForUnhandledSecurityMetadata = true);
        services.AddModularTelemetry(deployment, modules.All, options.Telemetry, options.Metrics, configuration);
        builder.AddModularLogging(options.Logging);
        GracefulStop.Add(services, options.Shutdown);
        ModuleFences.Add(services, modules, modules.All.Select(m => (m, stores[m].ConnectionString)).ToList(), options.Database.FenceInterval);
        services.AddSingleton(new PostgresHealthCheck.Target(sharedConnectionString));
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag]);

        foreach (var module in modules.All)
        {
            module.ConfigureServices(services, configuration); // explicit registrations first: the scan skips them
            ModuleServices.Scan(services, module);
            module.AddStore(new ModuleStore(services, stores[module].ConnectionString, options.Database.ApplyChangesOnStartup));
        }

        return guard;
    }

    /// <summary>The shared connection string, with the defaults applied; a missing or malformed one (or module's) stops the host in one line.</summary>
    private static string SharedConnectionString(IConfiguration configuration, ActiveModules modules)
    {
        var shared = configuration.GetConnectionString(ConnectionDefaults.SharedName);
        if (string.IsNullOrWhiteSpace(shared))
            throw new ModularConfigurationException(
                $"ConnectionStrings:{ConnectionDefaults.SharedName} is not set: point it at PostgreSQL (make run does it for you).");
        RequireConnectionString(ConnectionDefaults.SharedName, shared);
        foreach (var module in modules.All)
            if (configuration.GetConnectionString(module.ConnectionStringName) is { } own) RequireConnectionString(module.ConnectionStringName, own);
        return ConnectionDefaults.Apply(shared);
    }

    public static WebApplication UseModular(this WebApplication app)
    {
        var topology = app.Services.GetRequiredService<TopologyMap>();
        var options = app.Services.GetRequiredService<ModularOptions>();
        app.UseGatewayArrivalTimes(topology, options.Metrics);
        app.UseModularTelemetry(topology.Current.Name, app.Services.GetRequiredService<AvailableModules>().All,
            options.Telemetry, options.Metrics, options.Logging);
        if (!BenchSwitches.Off(BenchSwitches.Problems))
        {
            app.UseExceptionHandler();
            app.UseStatusCodePages();
        }

        app.UseManagementListener();
        if (!BenchSwitches.Off(BenchSwitches.Fences)) app.UseModuleFences();

        if (!BenchSwitches.Off(BenchSwitches.CallerStripping)) app.UseCallerHeaderStripping();
        var authenticates = !BenchSwitches.Off(BenchSwitches.Authentication);
        if (authenticates) app.UseAuthentication();
        app.UseClientRateLimits(); // after authentication: a client is its token's subject
        if (authenticates) app.UseAuthorization();
        if (!BenchSwitches.Off(BenchSwitches.WriteRequests)) app.UseWriteRequestPolicies();
        if (!BenchSwitches.Off(BenchSwitches.InputGuard)) app.UseInputGuard(options.MaxRequestBodySize);
        app.UseModularOpenApi(Title, topology.IsSingleDeployment ? Title : $"{Title}: {topology.Current.Name} (this deployment)",
            GatewayRoutes.RemoteDocuments(topology, Title), options.SwaggerUi);
        app.MapModularHealth();
        app.MapProblemTypes();
        app.MapDeadLetters();
        app.MapPendingMessages();
        app.MapModuleMap(app.Services.GetRequiredService<AvailableModules>().All);
        app.MapOperations(app.Services.GetRequiredService<AvailableModules>().All);
        app.MapWolverineEndpoints(http =>
        {
            http.RejectUnparseableQueryValues = true;
            http.Policies.Add(new ModuleEndpointPolicy(app.Services.GetRequiredService<ActiveModules>()));
            http.Policies.Add(app.Services.GetRequiredService<ModuleBoundaryGuard>());
        });
        app.MapModuleGrpc(app.Services.GetRequiredService<ActiveModules>());
        app.MapModuleGateway(topology);
        SecureByDefault.Verify(app);
        return app;
    }

    /// <summary>A malformed connection string stops the host with one line, not a stack trace from deep in Marten.</summary>
    private static void RequireConnectionString(string name, string value)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            throw new ModularConfigurationException(
                $"ConnectionStrings:{name} is not a PostgreSQL connection string (e.g. Host=localhost;Username=postgres;Database=modular).");
        }
    }
}
