using Microsoft.Extensions.Configuration;
using Modular.BuildingBlocks.Composition.Modules;
using Modular.BuildingBlocks.Composition.Persistence;

namespace Modular.BuildingBlocks.Distribution.Topology;

/// <summary>
/// <c>Modular.Host database-roles</c>: makes (or updates) every module's role and schema with
/// <c>ConnectionStrings:PostgresAdmin</c> (default: <c>ConnectionStrings:Postgres</c>), for the modules the topology map
/// places anywhere, with the passwords <c>Modular:Database:RoleSecret</c> derives. Prints the roles it made.
/// </summary>
public static class DatabaseRolesCommand
{
    public const string Name = "database-roles";

    public static bool Handles(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(IReadOnlyList<ModuleDefinition> available, IConfiguration configuration, TextWriter output)
    {
        var admin = configuration.GetConnectionString("PostgresAdmin") is { Length: > 0 } a ? a
            : configuration.GetConnectionString(ConnectionDefaults.SharedName) is { Length: > 0 } shared ? shared
            : throw new ModularConfigurationException("ConnectionStrings:PostgresAdmin (or Postgres) is not set: roles are made with it.");
        var roles = await ProvisionAsync(admin, available, configuration);
        await output.WriteLineAsync($"database roles ready: {string.Join(", ", roles)}");
        return 0;
    }

    /// <summary>
    /// The roles of every module the topology map in <paramref name="configuration"/> places anywhere, except those
    /// given a database of their own (<c>ConnectionStrings:&lt;Module&gt;</c>), allowed every deployment's message storage.
    /// </summary>
    public static Task<IReadOnlyList<string>> ProvisionAsync(string adminConnectionString, IReadOnlyList<ModuleDefinition> available,
        IConfiguration configuration, CancellationToken ct = default)
    {
        var options = ModularOptions.Read(configuration);
        var secret = options.Database.RoleSecret is { Length: > 0 } s ? s
            : throw new ModularConfigurationException($"{ModuleRoles.SecretKey} is not set: it derives each module role's password.");
        var topology = TopologyMap.Read(available, options);
        var modules = topology.Deployments.SelectMany(d => d.Modules).Distinct()
            .Where(m => string.IsNullOrEmpty(configuration.GetConnectionString(m.ConnectionStringName))).ToList();
        var messaging = topology.Deployments.Select(d => TransportSwitch.MessageStorageSchema(topology, d))
            .Append(TransportSwitch.QueueSchema).Distinct().ToList();
        return ModuleRoles.ProvisionAsync(adminConnectionString, modules, messaging, secret, ct);
    }
}
