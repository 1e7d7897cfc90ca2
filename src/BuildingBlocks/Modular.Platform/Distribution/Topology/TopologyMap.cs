using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Distribution.Topology;

/// <summary>
/// The topology map: which deployment hosts which module, which transport carries what crosses between
/// them, and which deployment this process is. Read from configuration:
/// <code>
/// Modular:Deployment = ordering                    (this process; optional with one deployment)
/// Modular:Topology:Transport = RabbitMQ | PostgreSQL
/// Modular:Topology:Deployments:core:Modules     = [Catalog, Payments]
/// Modular:Topology:Deployments:ordering:Modules = [Ordering]
/// Modular:Topology:Deployments:ordering:Url     = http://ordering:8080   (optional; this is the default)
/// Modular:Topology:Gateway = core                  (the deployment clients call; it forwards the others' routes)
/// </code>
/// Without a map, one deployment "monolith" hosts <c>Modular:Modules</c> (default: all), with no transport unless one is named.
/// </summary>
public sealed class TopologyMap
{
    public const string MonolithName = "monolith";
    public const string DeploymentKey = "Modular:Deployment";
    public const string TopologyKey = "Modular:Topology";

    private TopologyMap(IReadOnlyList<Deployment> deployments, Deployment current, TransportKind transport, Deployment? gateway)
    {
        Deployments = deployments;
        Current = current;
        Transport = transport;
        Gateway = gateway;
    }

    public IReadOnlyList<Deployment> Deployments { get; }

    /// <summary>The deployment this process is.</summary>
    public Deployment Current { get; }

    public TransportKind Transport { get; }

    /// <summary>The deployment that faces clients and forwards the routes of modules hosted elsewhere; null: none does.</summary>
    public Deployment? Gateway { get; }

    /// <summary>Whether this process forwards other deployments' routes.</summary>
    public bool IsGateway => Gateway is not null && Gateway == Current;

    public bool IsSingleDeployment => Deployments.Count == 1;

    /// <summary>This deployment's inbox, outbox and dead letters: <see cref="StorageSchemaOf"/> the current one.</summary>
    public string StorageSchema => StorageSchemaOf(Current);

    /// <summary>Inbox/outbox tables: shared by a monolith's modules (<c>wolverine</c>), separate for each deployment otherwise.</summary>
    public string StorageSchemaOf(Deployment deployment) =>
        IsSingleDeployment ? "wolverine" : $"wolverine_{Slug(deployment.Name).Replace('-', '_')}";

    /// <summary>A name as queues and schemas spell it: lower case, anything but ASCII letters and digits a dash.</summary>
    internal static string Slug(string name) =>
        new(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>Where a module runs; null for a module the monolith was told not to run (<c>Modular:Modules</c>).</summary>
    public Deployment? DeploymentOf(ModuleDefinition module) => Deployments.FirstOrDefault(d => d.Runs(module));

    /// <summary>The map in <paramref name="configuration"/>'s <c>Modular</c> section (see <see cref="ModularOptions"/>).</summary>
    public static TopologyMap Read(IReadOnlyList<ModuleDefinition> available, IConfiguration configuration) =>
        Read(available, ModularOptions.Read(configuration));

    public static TopologyMap Read(IReadOnlyList<ModuleDefinition> available, ModularOptions options)
    {
        var map = options.Topology;
        if (map.Deployments.Count == 0)
        {
            var monolith = new Deployment(MonolithName, ModuleSelection.Select(available, options.Modules), DefaultUrl(MonolithName));
            var name = options.Deployment;
            if (!string.IsNullOrEmpty(name) && name != MonolithName)
                throw new ModularConfigurationException(
                    $"{DeploymentKey} is '{name}' but there is no {TopologyKey}:Deployments map; without one the only deployment is '{MonolithName}'.");
            // A transport named without a map: the monolith also listens on its modules' queues, so what another map sends
            // there while a module moves back is handled (ADR 0028).
            return new TopologyMap([monolith], monolith, ReadTransport(map.Transport, 1), gateway: null);
        }

        if (options.Modules is not null)
            throw new ModularConfigurationException(
                $"Set either {ModuleSelection.ConfigurationKey} or {TopologyKey}:Deployments, not both: the map says which modules each deployment runs.");

        var deployments = map.Deployments.Select(d => ReadDeployment(d.Key, d.Value, available)).ToList();
        var gatewayName = map.Gateway;
        var gateway = string.IsNullOrWhiteSpace(gatewayName)
            ? null
            : Find(deployments, gatewayName) ?? throw new ModularConfigurationException(
                $"{TopologyKey}:Gateway '{gatewayName}' is not a deployment of the topology; known: {string.Join(", ", deployments.Select(d => d.Name))}.");
        // A module the map names nowhere runs where clients come in: a new module needs no edit of every map to run,
        // and is extracted by naming it elsewhere. Without a gateway there is no such place, and the map is refused.
        if (gateway is not null && available.Where(m => !deployments.Any(d => d.Runs(m))).ToList() is { Count: > 0 } unplaced)
        {
            var index = deployments.IndexOf(gateway);
            deployments[index] = gateway = gateway with { Modules = [.. gateway.Modules, .. unplaced] };
        }

        CheckEachModuleHasOneHome(deployments, available);

        var currentName = options.Deployment;
        if (string.IsNullOrWhiteSpace(currentName))
        {
            if (deployments.Count != 1)
                throw new ModularConfigurationException(
                    $"{DeploymentKey} is not set; name the deployment this process is: {string.Join(", ", deployments.Select(d => d.Name))}.");
            currentName = deployments[0].Name;
        }

        var current = Find(deployments, currentName)
            ?? throw new ModularConfigurationException(
                $"{DeploymentKey} '{currentName}' is not a deployment of the topology; known: {string.Join(", ", deployments.Select(d => d.Name))}.");

        return new TopologyMap(deployments, current, ReadTransport(map.Transport, deployments.Count), gateway);
    }

    private static Deployment? Find(List<Deployment> deployments, string name) =>
        deployments.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    private static Uri DefaultUrl(string deployment) => new($"http://{deployment.ToLowerInvariant()}:{Deployment.DefaultPort}");

    private static Deployment ReadDeployment(string name, DeploymentOptions options, IReadOnlyList<ModuleDefinition> available)
    {
        var modules = options.Modules.Select(n => available.FirstOrDefault(m => string.Equals(m.Name, n, StringComparison.OrdinalIgnoreCase))
                ?? throw new ModularConfigurationException(
                    $"Deployment '{name}' lists module '{n}', which this host does not have; known modules: {string.Join(", ", available.Select(m => m.Name))}."))
            .Distinct().ToList();
        var url = options.Url is { Length: > 0 } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed
                : throw new ModularConfigurationException($"Deployment '{name}' has Url '{text}', which is not an absolute http(s) URL.")
            : DefaultUrl(name);
        return new Deployment(name, modules, url);
    }

    private static void CheckEachModuleHasOneHome(List<Deployment> deployments, IReadOnlyList<ModuleDefinition> available)
    {
        foreach (var module in available)
        {
            var homes = deployments.Where(d => d.Runs(module)).Select(d => $"'{d.Name}'").ToList();
            if (homes.Count > 1)
                throw new ModularConfigurationException(
                    $"Module '{module.Name}' is assigned to deployments {string.Join(" and ", homes)}; a module runs in exactly one deployment.");
            if (homes.Count == 0)
                throw new ModularConfigurationException(
                    $"Module '{module.Name}' is assigned to no deployment in {TopologyKey}:Deployments and no {TopologyKey}:Gateway is named to run it; every module needs one.");
        }
    }

    private static TransportKind ReadTransport(string? text, int deploymentCount)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return deploymentCount == 1
                ? TransportKind.Local
                : throw new ModularConfigurationException(
                    $"{TopologyKey}:Transport is not set; with several deployments choose RabbitMQ or PostgreSQL.");
        }

        if (!Enum.TryParse<TransportKind>(text, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            throw new ModularConfigurationException(
                $"{TopologyKey}:Transport '{text}' is not a transport; use RabbitMQ or PostgreSQL.");
        if (kind == TransportKind.Local && deploymentCount > 1)
            throw new ModularConfigurationException(
                $"{TopologyKey}:Transport 'Local' cannot connect {deploymentCount} deployments; use RabbitMQ or PostgreSQL.");
        return kind;
    }
}
