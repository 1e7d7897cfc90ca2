using System.Text.Json.Serialization;
using JasperFx.CodeGeneration;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.BuildingBlocks.Composition.GrpcApi;
using Modular.BuildingBlocks.Composition.Health;
using Modular.BuildingBlocks.Composition.Http;
using Modular.BuildingBlocks.Composition.Messaging;
using Modular.BuildingBlocks.Composition.Modules;
using Modular.BuildingBlocks.Composition.Observability;
using Modular.BuildingBlocks.Composition.OpenApi;
using Modular.BuildingBlocks.Composition.Persistence;
using Modular.BuildingBlocks.Composition.Security;
using Modular.BuildingBlocks.Distribution;
using Modular.BuildingBlocks.Distribution.Gateway;
using Modular.BuildingBlocks.Distribution.Operations;
using Modular.BuildingBlocks.Distribution.Topology;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.BuildingBlocks;

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

        var guard = AddComposition(builder, options, available, modules, topology.Current.Name, sharedConnectionString, roleSecret);
        var usesRabbitMq = AddDistribution(builder, options, topology, edges, sharedConnectionString);

        builder.Host.UseWolverine(opts =>
        {
            ConfigureWolverine(opts, topology, modules, options, sharedConnectionString);
            opts.Policies.Add(guard);
            if (!BenchSwitches.Off(BenchSwitches.HandlerTags)) opts.Policies.Add(new ModuleHandlerTags(modules, topology.Current.Name));
            TransportSwitch.Configure(opts, topology, edges, options, configuration);
            // The one extension automatic discovery would find (Roslyn for handler code not generated ahead).
            opts.UseRuntimeCompilation();
        }, ExtensionDiscovery.ManualOnly); // automatic discovery loads every deployed assembly (YARP, RabbitMQ, ...) to look for extensions
        if (usesRabbitMq) BrokerGate.Install(builder.Services, TransportSwitch.RabbitMqUri(configuration));
        return builder;
    }

    /// <summary>Composition: the modules this process runs, their stores, HTTP, OpenAPI, security, health, telemetry.</summary>
    private static ModuleBoundaryGuard AddComposition(WebApplicationBuilder builder, ModularOptions options,
        IReadOnlyList<ModuleDefinition> available, ActiveModules modules, string deployment, string sharedConnectionString, string? roleSecret)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddSingleton(modules);
        services.AddSingleton<ConnectionPools>();
        var guard = new ModuleBoundaryGuard(available, modules);
        services.AddSingleton(guard);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new ControlCharacterRejectingStrings());
            // A member the operation does not have is refused (400 naming it), not ignored: a typo such as "quantitiy"
            // would otherwise be silently dropped. The OpenAPI document says additionalProperties: false (ADR 0012).
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // A member the record's constructor needs (one without a default value) must be sent: what the document
            // marks required is what the server requires, from one source, the C# signature.
            json.SerializerOptions.RespectRequiredConstructorParameters = true;
            // One reading of a body: a member sent twice ("sku" twice, the last one winning) or a number sent as text
            // ("19.99") is refused, naming it, rather than guessed at (the web defaults accept both).
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // before AddProblemDetails: ours is asked first
        services.AddProblemDetails(problem => problem.CustomizeProblemDetails = ProblemShapes.Customize);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddWolverineHttp();
        builder.AddRequestLimits(options.MaxRequestBodySize);
        builder.AddModularGrpc(options.GrpcUrl, options.MaxRequestBodySize);
        builder.AddManagementListener(options.ManagementUrl);
        services.AddModularOpenApi(Title);
        services.AddModularAuthentication(options.Authentication, builder.Environment, available,
            cacheValidatedTokens: !BenchSwitches.Off(BenchSwitches.TokenCache));
        if (BenchSwitches.Off(BenchSwitches.Authentication))
            services.Configure<Microsoft.AspNetCore.Routing.RouteOptions>(routes => routes.SuppressCheckForUnhandledSecurityMetadata = true);
        services.AddModularTelemetry(deployment, modules.All, options.Telemetry, options.Metrics, configuration);
        builder.AddModularLogging(options.Logging);
        services.AddSingleton(new PostgresHealthCheck.Target(sharedConnectionString));
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag]);

        foreach (var module in modules.All)
        {
            module.ConfigureServices(services, configuration); // explicit registrations first: the scan skips them
            ModuleServices.Scan(services, module);
            module.AddStore(services, configuration.GetConnectionString(module.ConnectionStringName) is { } own
                ? ConnectionDefaults.Apply(own)
                : roleSecret is null ? sharedConnectionString : ModuleRoles.ConnectionString(sharedConnectionString, module, roleSecret),
                options.Database.ApplyChangesOnStartup);
        }

        return guard;
    }

    /// <summary>
    /// Distribution: the map, the gateway in front of the other deployments, the operations view, the broker's health.
    /// True when this deployment exchanges messages over RabbitMQ.
    /// </summary>
    private static bool AddDistribution(WebApplicationBuilder builder, ModularOptions options, TopologyMap topology,
        IReadOnlyList<MessageEdge> edges, string sharedConnectionString)
    {
        var services = builder.Services;
        services.AddSingleton(topology);
        services.AddSingleton(edges);
        services.AddModuleGateway(topology, options.Gateway);
        services.AddClientRateLimits(topology, options.RateLimits);
        services.AddSingleton(new BacklogReader.Source(sharedConnectionString, TransportSwitch.MessageStorageSchema(topology)));
        services.AddSingleton<BacklogReader>();
        services.AddOperations(topology, options.Metrics);
        var usesRabbitMq = topology.Transport == TransportKind.RabbitMQ && TransportSwitch.Crossing(topology, edges).Count > 0;
        if (usesRabbitMq)
        {
            services.AddSingleton(new RabbitMqHealthCheck.Target(TransportSwitch.RabbitMqUri(builder.Configuration)));
            // Degraded, not unready: while the broker is away the outbox keeps what is accepted (docs/adr/0010).
            services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", HealthStatus.Degraded, [HealthEndpoints.ReadyTag]);
        }

        return usesRabbitMq;
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

    /// <summary>The settings of Wolverine's modular-monolith guide, applied to the selected modules only.</summary>
    private static void ConfigureWolverine(WolverineOptions opts, TopologyMap topology, ActiveModules modules,
        ModularOptions options, string connectionString)
    {
        opts.ApplicationAssembly = System.Reflection.Assembly.GetEntryAssembly();
        // Dynamic (default): handlers compiled at start-up by Roslyn. Static: the code `codegen write` put into
        // the Host at build time (Release images): fast start, no compiler in memory.
        opts.CodeGeneration.TypeLoadMode = options.CodeGeneration;
        if (opts.CodeGeneration.TypeLoadMode != TypeLoadMode.Static) opts.UseRuntimeCompilation();

        // One handler per message type and module, each in its own transaction; inbox keyed by id + destination.
        opts.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
        opts.Durability.MessageIdentity = MessageIdentity.IdAndDestination;
        opts.ServiceName = $"modular-{topology.Current.Name}";
        opts.Durability.MessageStorageSchemaName = TransportSwitch.MessageStorageSchema(topology);
        opts.Durability.Mode = options.DurabilityMode;
        // A message stored but left behind by a live process (a send that failed while the database restarted, a
        // hand-over to a local queue cut short) is taken up again by the durability agent once it is this old.
        // Messages a process still holds in memory (queued, running, retrying) keep their clock fresh and stay put.
        opts.Durability.OutboxStaleTime = TimeSpan.FromSeconds(30);
        opts.Durability.InboxStaleTime = TimeSpan.FromSeconds(30);
        // Wolverine's own durability knobs, e.g. how soon a dead instance's persisted messages pass to a live one
        // (Modular:Durability:StaleNodeTimeout, default 1 min; HealthCheckPollingTime, the heartbeat, 10 s).
        options.Durability?.Bind(opts.Durability);
        opts.Policies.AutoApplyTransactions();
        opts.Policies.UseDurableLocalQueues();
        // Handlers wait on PostgreSQL, not on CPU: Wolverine's default (one message per core) starves them.
        opts.Policies.AllLocalQueues(queue => queue.MaximumParallelMessages(options.Parallelism));

        // Two handlers racing on one document or stream: the loser retries on fresh data.
        opts.OnException(WriteConflicts.IsConflict, "write conflict").RetryWithCooldown(WriteConflicts.Cooldown);
        // A database restarting or a broker connection dropping: retried with backoff before anything is dead-lettered.
        TransientFaults.Apply(opts);
        // The authenticated caller of a request travels with every message it causes, across processes (ADR 0013).
        CallerRelay.Apply(opts);

        // The main store only carries Wolverine's envelope storage (and the PostgreSQL transport's queue
        // tables, shared by all deployments); module data lives in module stores.
        var applyChanges = options.Database.ApplyChangesOnStartup;
        if (!applyChanges) opts.AutoBuildMessageStorageOnStartup = JasperFx.AutoCreate.None;
        opts.Services.AddMarten(provider =>
        {
            var store = new StoreOptions();
            store.Connection(provider.GetRequiredService<ConnectionPools>().Create(connectionString));
            store.DatabaseSchemaName = TransportSwitch.MessageStorageSchema(topology);
            store.AutoCreateSchemaObjects = SchemaChanges.AutoCreate(applyChanges);
            return store;
        }).IntegrateWithWolverine(integration => integration.TransportSchemaName = TransportSwitch.QueueSchema);

        foreach (var module in modules.All)
        {
            opts.Discovery.IncludeAssembly(module.Assembly);
            opts.Policies.UseAncillaryStorageFromAssembly(module.StoreType, module.Assembly);
        }

        // Databases are migrated by each store (ApplyAllDatabaseChangesOnStartup) and by Wolverine's runtime at
        // start, unless SchemaChanges says a release step did it; broker queues are declared by the runtime too
        // (AutoProvision). No resource setup at start, so a broker that is down does not fail the host before
        // BrokerGate can wait for it.
    }
}
