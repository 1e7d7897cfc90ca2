using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>
/// A deployment topology brought up for real: one process per deployment instance, one fresh database, the
/// transport the map names. Clients only see <see cref="GatewayUrl"/>: the gateway deployment forwards the routes
/// of modules hosted elsewhere, finding their instances through service discovery (<c>Services:*</c>).
/// </summary>
public abstract class Topology : IAsyncLifetime
{
    public const string RabbitMqVariable = "MODULAR_TEST_RABBITMQ";

    /// <summary>Requests per second a client may send to Catalog through the gateway (bursts of twice as many).</summary>
    public const int CatalogRateLimit = 20;

    private readonly List<HostProcess> _processes = [];

    protected TestDatabase Database { get; private set; } = null!;

    /// <summary>Deployment name → its modules. One entry without a transport = the monolith, no map at all.</summary>
    protected abstract IReadOnlyDictionary<string, string[]> Deployments { get; }

    protected virtual string? Transport => null;

    /// <summary>The deployment clients call; by default the first one.</summary>
    public virtual string GatewayDeployment => Deployments.Keys.First();

    /// <summary>How many instances of a deployment run side by side.</summary>
    protected virtual int InstancesOf(string deployment) => 1;

    /// <summary>Whether start-up waits for this deployment to be ready (a test may start one that cannot be).</summary>
    protected virtual bool StartsReady(string deployment) => true;

    /// <summary>Settings every process of this topology gets on top of the map.</summary>
    protected virtual IEnumerable<string> ExtraSettings => [];

    /// <summary>The broker a deployment is told to use.</summary>
    protected virtual string RabbitMqUriFor(string deployment) => RabbitMqUri;

    /// <summary>An instance of a deployment, not started: on a free loopback port by default.</summary>
    protected virtual HostProcess CreateProcess(string deployment) => new(deployment, Server.FreeLoopbackPort());

    /// <summary>How a deployment reaches the topology's database.</summary>
    protected virtual string DatabaseConnectionStringFor(string deployment) => Database.ConnectionString;

    /// <summary>The PostgreSQL server the topology's database is made on: the shared test server by default.</summary>
    protected virtual string? DatabaseServer => null;

    /// <summary>Starts servers of the topology's own (a fault test's database or broker) before anything else.</summary>
    protected virtual Task StartServersAsync() => Task.CompletedTask;

    protected virtual ValueTask StopServersAsync() => ValueTask.CompletedTask;

    public IReadOnlyList<HostProcess> Processes => _processes;

    /// <summary>Where every process of the topology exports its traces.</summary>
    public TraceCollector Traces { get; } = new();

    /// <summary>The one URL clients use, whatever the topology.</summary>
    public virtual Uri GatewayUrl => _processes.First(p => p.Name == GatewayDeployment).Url;

    /// <summary>The gateway's gRPC listener (HTTP/2): the one gRPC address clients use, whatever the topology.</summary>
    public Uri GatewayGrpcUrl => _processes.First(p => p.Name == GatewayDeployment).GrpcUrl
        ?? throw new InvalidOperationException($"The {GatewayDeployment} deployment of this topology has no gRPC listener.");

    /// <summary>The deployments the gateway forwards to.</summary>
    /// <summary>Each deployment as the hosts name it (without a map: "monolith"), with its message storage schema.</summary>
    public IReadOnlyDictionary<string, string> StorageSchemas => Transport is null
        ? new Dictionary<string, string> { ["monolith"] = "wolverine" }
        : Deployments.Keys.ToDictionary(d => d, d => Deployments.Count == 1 ? "wolverine" : $"wolverine_{d.ToLowerInvariant().Replace('-', '_')}");

    public IEnumerable<string> RemoteDeployments => Deployments.Keys.Where(d => d != GatewayDeployment);

    /// <summary>The embedded issuer's key every deployment of this test run is given (and make token signs with).</summary>
    public static string SigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A token for <paramref name="subject"/> with <paramref name="roles"/> (all when none), made as a user makes one:
    /// by the host's own <c>token</c> command (make token) with the deployments' key.
    /// </summary>
    public static async Task<string> TokenAsync(string subject = "developer", params string[] roles)
    {
        string[] arguments = [HostProcess.BuiltHostAssembly, "token", "--subject", subject, .. roles.Length > 0 ? ["--roles", string.Join(',', roles)] : Array.Empty<string>()];
        var result = (await Tool.RunAsync("dotnet", arguments, environment: new Dictionary<string, string>
        {
            ["Modular__Authentication__SigningKey"] = SigningKey,
        })).EnsureSuccess("make token");
        return result.Output.Trim();
    }

    private static readonly Lazy<Task<string>> Developer = new(() => TokenAsync());

    /// <summary>The developer's token (every role), made once per test run.</summary>
    public static Task<string> DeveloperTokenAsync() => Developer.Value;

    /// <summary>
    /// A client handler as the tests' clients use it: it sends the developer's token (unless the request carries its
    /// own Authorization) and checks every /api answer against the OpenAPI documents — at the gateway, its own and each
    /// remote deployment's (as the gateway serves them); at one instance, that instance's.
    /// </summary>
    public HttpMessageHandler OpenApiChecking() => new BearerTokenHandler(DeveloperTokenAsync, new OpenApiCheckingHandler(origin =>
        origin == new Uri(GatewayUrl.GetLeftPart(UriPartial.Authority))
            ? ["/swagger/v1/swagger.json", .. RemoteDeployments.Select(d => $"/openapi/{d.ToLowerInvariant()}.json")]
            : ["/swagger/v1/swagger.json"]));

    public string DeploymentOf(string module) =>
        Deployments.Single(d => d.Value.Contains(module, StringComparer.OrdinalIgnoreCase)).Key;

    /// <summary>The (first) instance of the deployment hosting a module.</summary>
    public HostProcess ProcessOf(string module) => InstancesOfDeployment(DeploymentOf(module))[0];

    /// <summary>What a Prometheus scrapes: per deployment, the base URLs of its processes.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Uri>> ScrapeTargets() =>
        _processes.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => (IReadOnlyList<Uri>)g.Select(p => p.Url).ToList());

    public IReadOnlyList<HostProcess> InstancesOfDeployment(string deployment) => _processes.Where(p => p.Name == deployment).ToList();

    public async Task InitializeAsync()
    {
        await StartServersAsync();
        Database = await TestDatabase.CreateAsync(GetType().Name, DatabaseServer);
        await ProvisionRolesAsync();
        await StartDeploymentsAsync(Deployments.Keys);
    }

    /// <summary>Each module's role and schema for the map, made as make run makes them: the host's database-roles command.</summary>
    protected async Task ProvisionRolesAsync() =>
        (await Tool.RunAsync("dotnet", [HostProcess.BuiltHostAssembly, "database-roles", .. MapSettings(),
            .. Transport is null ? Array.Empty<string>() : [$"--Modular:Deployment={GatewayDeployment}"], $"--ConnectionStrings:Postgres={Database.ConnectionString}",
            $"--{RoleSecretKey}={RoleSecret}"])).EnsureSuccess("database-roles");

    /// <summary>Starts the instances of <paramref name="deployments"/> (all made before any starts: each is told of the others).</summary>
    protected async Task StartDeploymentsAsync(IEnumerable<string> deployments)
    {
        var started = deployments.SelectMany(name => Enumerable.Range(0, InstancesOf(name)).Select(_ => CreateProcess(name))).ToList();
        _processes.AddRange(started);
        foreach (var process in started) process.Start(SettingsFor(process.Name));
        await Task.WhenAll(started.Where(p => StartsReady(p.Name)).Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
    }

    /// <summary>Brings a killed instance back on its address, as a restarted container would.</summary>
    public async Task RestartAsync(HostProcess process)
    {
        var index = _processes.IndexOf(process);
        await process.DisposeAsync();
        var fresh = process.Fresh();
        _processes[index] = fresh;
        fresh.Start(SettingsFor(process.Name));
        await fresh.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    public IReadOnlyList<string> SettingsFor(string deployment)
    {
        var settings = new List<string>
        {
            // Where the database is, not who to log in as: a deployment logs in as its own roles, derived from the secret,
            // as the deployment files give it (only database-roles holds the admin's login).
            $"--ConnectionStrings:Postgres={new Npgsql.NpgsqlConnectionStringBuilder(DatabaseConnectionStringFor(deployment)) { Username = null, Password = null }}",
            $"--Modular:Authentication:SigningKey={SigningKey}",
            $"--{RoleSecretKey}={RoleSecret}",
            // Where clients come in, Catalog allows each client 20 requests a second (bursts of 40): far above what a
            // flow sends, low enough for a test to cross it. The other modules are not limited: the fault suite's load
            // comes from one client.
            "--Modular:RateLimits:PermitsPerSecond=0",
            $"--Modular:RateLimits:Modules:Catalog:PermitsPerSecond={CatalogRateLimit}",
            $"--Modular:RateLimits:Modules:Catalog:Burst={2 * CatalogRateLimit}",
        };
        settings.AddRange(Traces.SettingsFor(deployment));
        if (Transport is null) return [.. settings, .. ExtraSettings]; // the monolith: no map

        settings.Add($"--Modular:Deployment={deployment}");
        settings.AddRange(MapSettings());
        foreach (var (name, modules) in Deployments)
        {
            var instances = _processes.Where(p => p.Name == name && !p.HasExited).ToList();
            for (var i = 0; i < instances.Count; i++)
                settings.Add($"--Services:{name}:http:{i}={instances[i].Url}");
            var grpc = instances.Where(p => p.GrpcUrl is not null).ToList();
            for (var i = 0; i < grpc.Count; i++)
                settings.Add($"--Services:{name}:grpc:{i}={grpc[i].GrpcUrl}");
            for (var i = 0; i < instances.Count; i++) // instance i's operators' listener, beside its http:i
                if (instances[i].ManagementUrl is { } management) settings.Add($"--Services:{name}:management:{i}={management}");
        }

        // Fast enough for a test to see an instance go; production keeps the defaults.
        settings.Add("--Modular:Gateway:HealthCheckInterval=00:00:01");
        if (Transport == "RabbitMQ") settings.Add($"--ConnectionStrings:RabbitMQ={RabbitMqUriFor(deployment)}");
        settings.AddRange(ExtraSettings); // last: they may override the above
        return settings;
    }

    /// <summary>The topology map: transport, gateway, and which deployment runs which module (nothing for the monolith).</summary>
    private IEnumerable<string> MapSettings()
    {
        if (Transport is null) yield break;
        yield return $"--Modular:Topology:Transport={Transport}";
        yield return $"--Modular:Topology:Gateway={GatewayDeployment}";
        foreach (var (name, modules) in Deployments)
            for (var i = 0; i < modules.Length; i++)
                yield return $"--Modular:Topology:Deployments:{name}:Modules:{i}={modules[i]}";
    }

    public const string RoleSecretKey = "Modular:Database:RoleSecret";

    /// <summary>The secret the roles' passwords derive from: the test server's (<see cref="TestDatabase.RoleSecret"/>).</summary>
    public static string RoleSecret => TestDatabase.RoleSecret;

    /// <summary>The topology's database as the tests reach it (the superuser; not a deployment's view of it).</summary>
    public string DatabaseConnectionString => Database.ConnectionString;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        Traces.Dispose();
        if (Database is not null) await Database.DisposeAsync();
        await StopServersAsync();
    }

    protected static string RabbitMqUri => Environment.GetEnvironmentVariable(RabbitMqVariable) is { Length: > 0 } uri
        ? uri
        : throw new InvalidOperationException($"{RabbitMqVariable} is not set: run `make test`, which starts RabbitMQ for the tests.");
}

/// <summary>(a) Every module in one process: the monolith, no broker.</summary>
public sealed class MonolithTopology : Topology
{
    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } =
        new Dictionary<string, string[]> { ["monolith"] = ["Catalog", "Ordering", "Payments"] };
}

/// <summary>(b) Every module in its own process; cross-module messages over RabbitMQ.</summary>
public class EveryModuleOverRabbitMq : Topology
{
    protected override string Transport => "RabbitMQ";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["catalog"] = ["Catalog"],
        ["ordering"] = ["Ordering"],
        ["payments"] = ["Payments"],
    };
}

/// <summary>(c) Ordering extracted; Catalog and Payments stay together; messages over PostgreSQL queues.</summary>
public sealed class OrderingOverPostgresQueues : Topology
{
    protected override string Transport => "PostgreSQL";

    protected override IReadOnlyDictionary<string, string[]> Deployments { get; } = new Dictionary<string, string[]>
    {
        ["core"] = ["Catalog", "Payments"],
        ["ordering"] = ["Ordering"],
    };

    // The consumer-down scenario kills the deployment hosting Payments; clients keep reaching Ordering.
    public override string GatewayDeployment => "ordering";
}
