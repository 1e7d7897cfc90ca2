using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Deployment;

/// <summary>The deployment files are read by the tools that run them and by the product's own topology parser.</summary>
public sealed class DeploymentFileTests
{
    private static readonly string Root = Tool.RepositoryRoot();
    private static readonly string[] Probes = ["startupProbe", "livenessProbe", "readinessProbe"];

    [Fact]
    public async Task compose_file_is_valid_and_wires_the_app_to_its_database()
    {
        var config = await ComposeConfigAsync("compose.yaml");

        Assert.Contains("ConnectionStrings__Postgres: Host=postgres;", config, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", config, StringComparison.Ordinal);
        Assert.Contains("target: 8080", config, StringComparison.Ordinal);
        Assert.Contains($"Modular__Authentication__SigningKey: {Topologies.Topology.SigningKey}", config, StringComparison.Ordinal);
        // The roles service makes each module's role before the app starts, with the secret the app derives passwords from.
        var services = Yaml.Documents(config).Single().Map("services");
        Assert.Equal(["database-roles"], services.At("roles").List("command").Cast<string>());
        Assert.Equal("service_completed_successfully", services.At("app", "depends_on", "roles").Text("condition"));
        Assert.Equal(2, config.Split($"Modular__Database__RoleSecret: {Topologies.Topology.RoleSecret}").Length - 1);
        AssertLeastPrivilege(services, "roles", ["app"]);
        Assert.Equal(["8080", "8081", "8082"], services.At("app").List("ports").Cast<Dictionary<object, object>>().Select(p => p.Text("target")));
    }

    /// <summary>Only the one-shot roles step holds the admin's login; the app is told where the database is, and logs
    /// in as the roles it made (ADR 0013).</summary>
    private static void AssertLeastPrivilege(Dictionary<object, object> services, string roles, string[] apps)
    {
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(services.At(roles, "environment").Text("ConnectionStrings__PostgresAdmin"));
        Assert.Equal("postgres", admin.Username);
        foreach (var app in apps)
        {
            var environment = services.At(app, "environment");
            Assert.False(environment.ContainsKey("ConnectionStrings__PostgresAdmin"), $"{app} holds the admin's login");
            var shared = new Npgsql.NpgsqlConnectionStringBuilder(environment.Text("ConnectionStrings__Postgres"));
            Assert.True(shared.Username is null && shared.Password is null, $"{app} is given a login: {shared.Username}");
            Assert.Equal(admin.Host, shared.Host);
        }
    }

    [Fact]
    public async Task extracted_compose_file_runs_a_gateway_and_two_ordering_instances_on_one_topology_map()
    {
        var services = Yaml.Documents(await ComposeConfigAsync("compose.extracted.yaml")).Single().Map("services");

        Assert.Contains("rabbitmq", services.Keys);
        Assert.Contains("postgres", services.Keys);
        var deployments = new Dictionary<string, string>();
        foreach (var name in new[] { "core", "ordering-1", "ordering-2" })
        {
            var environment = services.At(name, "environment").ToDictionary(e => (string)e.Key, e => (string)e.Value);
            var map = await ModuleMapOf.SettingsAsync(environment);
            deployments[name] = map.GetProperty("deployment").GetString()!;
            Assert.Equal("core", map.GetProperty("gateway").GetString());
            Assert.Equal("RabbitMQ", map.GetProperty("transport").GetString());
            Assert.Contains("@rabbitmq:5672", environment["ConnectionStrings__RabbitMQ"], StringComparison.Ordinal);
        }

        Assert.Equal(["core", "ordering", "ordering"], deployments.Values);
        foreach (var (endpoint, port) in new[] { ("http", 8080), ("grpc", 8081) })
        {
            var instances = services.At("core", "environment").Where(e => ((string)e.Key).StartsWith($"Services__ordering__{endpoint}__", StringComparison.Ordinal))
                .Select(e => new Uri((string)e.Value)).ToList();
            Assert.Equal(["ordering-1", "ordering-2"], instances.Select(u => u.Host));
            Assert.All(instances, u => Assert.Equal(("ordering", port), (deployments[u.Host], u.Port)));
        }

        Assert.Equal(["8080", "8081", "8082"], services.At("core").List("ports").Cast<Dictionary<object, object>>().Select(p => p.Text("target")));
        AssertLeastPrivilege(services, "roles", ["core", "ordering-1", "ordering-2"]);
    }

    [Fact]
    public async Task kubernetes_manifests_match_the_kubernetes_api_schemas()
    {
        var validator = Path.Combine(Root, "eng", "kubernetes-schema");
        if (!Directory.Exists(Path.Combine(validator, "node_modules")))
            (await Tool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], validator, TimeSpan.FromMinutes(3))).EnsureSuccess("npm ci");

        var result = await Tool.RunAsync("node", ["validate.mjs", Path.Combine(Root, "deploy", "kubernetes")], validator);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.EndsWith("5 objects, 0 invalid", result.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task kubernetes_gives_each_deployment_of_the_map_its_pods_service_probes_and_topology()
    {
        var folder = Path.Combine(Root, "deploy", "kubernetes");
        var objects = Directory.GetFiles(folder, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(f => Yaml.Documents(File.ReadAllText(f))).ToList();
        var topology = objects.Single(o => o.Text("kind") == "ConfigMap").Map("data").ToDictionary(e => (string)e.Key, e => (string)e.Value);
        var kubernetesDeployments = objects.Where(o => o.Text("kind") == "Deployment").ToList();
        var services = objects.Where(o => o.Text("kind") == "Service").ToList();

        foreach (var deployment in kubernetesDeployments)
        {
            var name = deployment.Map("metadata").Text("name")!;
            var container = (Dictionary<object, object>)deployment.At("spec", "template", "spec").List("containers").Single();
            var env = container.List("env").Cast<Dictionary<object, object>>().ToDictionary(e => e.Text("name")!, e => e.Text("value")!);
            var map = await ModuleMapOf.SettingsAsync([.. topology, .. env]);

            Assert.Equal(name, map.GetProperty("deployment").GetString());
            Assert.Contains(container.List("envFrom").Cast<Dictionary<object, object>>(), s => s.TryGetValue("configMapRef", out var r) && ((Dictionary<object, object>)r).Text("name") == "modular-topology");
            Assert.Equal("/health/live", container.At("livenessProbe", "httpGet").Text("path"));
            Assert.Equal("/health/ready", container.At("readinessProbe", "httpGet").Text("path"));
            Assert.Equal(["http:8080", "grpc:8081", "management:8082"], container.List("ports").Cast<Dictionary<object, object>>().Select(p => $"{p.Text("name")}:{p.Text("containerPort")}"));
            // Probes and Prometheus on the operators' listener (health answers on both; /metrics only there).
            foreach (var probe in Probes) Assert.Equal("management", container.At(probe, "httpGet").Text("port"));
            Assert.Equal("8082", deployment.At("spec", "template", "metadata", "annotations").Text("prometheus.io/port"));
            // The admin's login (modular-database-admin) goes to the database-roles init container only.
            var init = (Dictionary<object, object>)deployment.At("spec", "template", "spec").List("initContainers").Single();
            Assert.Equal(["database-roles"], init.List("args").Cast<string>());
            Assert.Equal(["modular-connections", "modular-database-admin"], SecretsOf(init));
            Assert.Equal(["modular-connections"], SecretsOf(container));

            // The gateway reaches a deployment at http://<name>:8080 (the map's default), gRPC on 8081: its Service must be there.
            var service = Assert.Single(services, s => s.Map("metadata").Text("name") == name);
            Assert.Equal(deployment.At("spec", "template", "metadata", "labels")["app.kubernetes.io/name"], service.At("spec", "selector")["app.kubernetes.io/name"]);
            Assert.Equal(["8080", "8081"], service.At("spec").List("ports").Cast<Dictionary<object, object>>().Select(p => p.Text("port")));
        }

        var everyDeployment = (await ModuleMapOf.SettingsAsync([.. topology, new("Modular__Deployment", "core")]))
            .GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("deployment").GetString()).Distinct().Order();
        Assert.Equal(everyDeployment, kubernetesDeployments.Select(d => d.Map("metadata").Text("name")).Order());
        Assert.Equal("2", kubernetesDeployments.Single(d => d.Map("metadata").Text("name") == "ordering").Map("spec").Text("replicas"));
    }

    [Fact]
    public async Task dockerfile_takes_official_images_by_default_and_runs_as_the_non_root_user()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Root, "Dockerfile"));

        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080 8081 8082", dockerfile, StringComparison.Ordinal);
        Assert.Contains("Modular__ManagementUrl=http://*:8082", dockerfile, StringComparison.Ordinal);
        Assert.Contains("Modular__GrpcUrl=http://*:8081", dockerfile, StringComparison.Ordinal);
    }

    private static IEnumerable<string?> SecretsOf(Dictionary<object, object> container) =>
        container.List("envFrom").Cast<Dictionary<object, object>>().Where(s => s.ContainsKey("secretRef"))
            .Select(s => ((Dictionary<object, object>)s["secretRef"]).Text("name"));

    private static async Task<string> ComposeConfigAsync(string file) =>
        (await Tool.RunAsync("docker-compose", ["-f", file, "config"], Root,
            environment: new Dictionary<string, string> { ["MODULAR_SIGNING_KEY"] = Topologies.Topology.SigningKey, ["MODULAR_ROLE_SECRET"] = Topologies.Topology.RoleSecret }))
        .EnsureSuccess("docker-compose config").Output;
}
