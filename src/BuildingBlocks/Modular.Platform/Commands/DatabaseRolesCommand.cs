using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Persistence;
using Modular.Platform.Distribution;
using Modular.Platform.Distribution.Topology;

namespace Modular.Platform.Commands;

/// <summary>
/// <c>Modular.Host database-roles</c>: makes (or updates) every module's and every deployment's role and schema with
/// <c>ConnectionStrings:PostgresAdmin</c> (default: <c>ConnectionStrings:Postgres</c>), for the whole topology map, with the
/// passwords <c>Modular:Database:RoleSecret</c> derives. Prints the roles it made. The one step that needs a login
/// allowed to create roles: the deployments themselves log in as the roles it made.
/// </summary>
public static class DatabaseRolesCommand
{
    public const string Name = "database-roles";

    public static async Task<int> RunAsync(IReadOnlyList<ModuleDefinition> available, IConfiguration configuration, TextWriter output)
    {
        var admin = AdminConnectionString(configuration)
                    ?? throw new ModularConfigurationException("ConnectionStrings:PostgresAdmin (or Postgres) is not set: roles are made with it.");
        var roles = await ProvisionAsync(admin, available, configuration);
        await output.WriteLineAsync($"database roles ready: {string.Join(", ", roles)}");
        return 0;
    }

    /// <summary>A login allowed to make roles, databases and replication: <c>ConnectionStrings:PostgresAdmin</c>, else <c>Postgres</c>.</summary>
    public static string? AdminConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("PostgresAdmin") is { Length: > 0 } admin ? admin
        : configuration.GetConnectionString(ConnectionDefaults.SharedName) is { Length: > 0 } shared ? shared
        : null;

    /// <summary>
    /// The roles of every deployment of the topology map in <paramref name="configuration"/> and of every module it
    /// places, except those given a database of their own (<c>ConnectionStrings:&lt;Module&gt;</c>).
    /// </summary>
    public static Task<IReadOnlyList<string>> ProvisionAsync(string adminConnectionString, IReadOnlyList<ModuleDefinition> available,
        IConfiguration configuration, CancellationToken ct = default)
    {
        var options = ModularOptions.Read(configuration);
        var secret = options.Database.RoleSecret is { Length: > 0 } s ? s
            : throw new ModularConfigurationException($"{ModuleRoles.SecretKey} is not set: it derives each role's password.");
        var topology = TopologyMap.Read(available, options);
        var deployments = topology.Deployments.Select(d => new ModuleRoles.DeploymentStorage(d.Name, topology.StorageSchemaOf(d),
            d.Modules.Where(m => string.IsNullOrEmpty(configuration.GetConnectionString(m.ConnectionStringName))).ToList())).ToList();
        return ModuleRoles.ProvisionAsync(adminConnectionString, deployments, TransportSwitch.QueueSchema, secret, ct);
    }
}
