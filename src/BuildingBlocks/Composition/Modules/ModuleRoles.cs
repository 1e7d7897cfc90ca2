using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Modular.BuildingBlocks.Composition.Modules;

/// <summary>
/// Each module's store connects as its own PostgreSQL role, <c>modular_&lt;schema&gt;</c>, which owns the module's
/// schema and nothing else; it may also use Wolverine's message storage (the group role <c>modular_messaging</c>),
/// since a module's transaction writes its outbox there. Another module's schema answers <c>permission denied</c>.
/// On when <c>Modular:Database:RoleSecret</c> is set: each role's password is derived from it (HMAC-SHA256 of the role
/// name), so the provisioning step and every deployment agree without a secret per module. An explicit
/// <c>ConnectionStrings:&lt;Module&gt;</c> still wins (a module in a database of its own). Roles are made by
/// <c>Modular.Host database-roles</c> (<c>make run</c> and <c>make test</c> run it; compose and Kubernetes run it as a
/// one-shot step) with the shared connection, which must be allowed to create roles. ADR 0013.
/// </summary>
public static class ModuleRoles
{
    public const string SecretKey = "Modular:Database:RoleSecret";
    public const string MessagingRole = "modular_messaging";

    public static string RoleOf(ModuleDefinition module) => $"modular_{module.Schema}";

    /// <summary>The module's connection string: the shared one, logged in as the module's role.</summary>
    public static string ConnectionString(string shared, ModuleDefinition module, string secret) =>
        new NpgsqlConnectionStringBuilder(shared) { Username = RoleOf(module), Password = Password(secret, module) }.ConnectionString;

    private static string Password(string secret, ModuleDefinition module) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(RoleOf(module))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Creates or updates, in the database <paramref name="adminConnectionString"/> points at, the role and schema of
    /// each of <paramref name="modules"/>, and the group role that may use the <paramref name="messagingSchemas"/>.
    /// Idempotent; safe to run before every start. Which modules and schemas: <c>DatabaseRolesCommand</c>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProvisionAsync(string adminConnectionString, IReadOnlyList<ModuleDefinition> modules,
        IReadOnlyList<string> messagingSchemas, string secret, CancellationToken ct = default)
    {
        // Roles are shared by every database of the server: two provisionings at once (parallel test hosts) collide on
        // the role catalogue; the loser tries again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(adminConnectionString);
                await connection.OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = new NpgsqlCommand("SELECT current_user", connection, transaction);
                command.CommandText = Script(modules, messagingSchemas, secret, (string)(await command.ExecuteScalarAsync(ct))!);
                await command.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
                return modules.Select(RoleOf).Prepend(MessagingRole).ToList();
            }
            catch (PostgresException e) when (attempt < 10 && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError
                                                  or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), ct);
            }
        }
    }

    private static string Script(IReadOnlyList<ModuleDefinition> modules, IReadOnlyList<string> messaging, string secret, string provisioner)
    {
        var sql = new StringBuilder();
        sql.AppendLine(CreateRole(MessagingRole, "NOLOGIN"));
        var creators = new List<string> { $"\"{provisioner.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" };
        foreach (var module in modules)
        {
            var role = RoleOf(module);
            creators.Add(role);
            sql.AppendLine(CreateRole(role, "LOGIN"));
            sql.AppendLine($"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD '{Password(secret, module)}';");
            sql.AppendLine($"GRANT {MessagingRole} TO {role};");
            sql.AppendLine($"CREATE SCHEMA IF NOT EXISTS {module.Schema} AUTHORIZATION {role};");
            sql.AppendLine($"ALTER SCHEMA {module.Schema} OWNER TO {role};");
            sql.AppendLine($"REVOKE ALL ON SCHEMA {module.Schema} FROM PUBLIC;");
            // What the module made before it had a role of its own (an upgrade) becomes its role's.
            sql.AppendLine($"""
                DO $$DECLARE t record; BEGIN
                  FOR t IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = '{module.Schema}' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') LOOP
                    EXECUTE format('ALTER %s {module.Schema}.%I OWNER TO {role}', CASE t.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, t.relname);
                  END LOOP;
                  FOR t IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{module.Schema}' LOOP
                    EXECUTE format('ALTER ROUTINE %s OWNER TO {role}', t.f);
                  END LOOP;
                END$$;
                """);
        }

        foreach (var schema in messaging)
        {
            sql.AppendLine($"CREATE SCHEMA IF NOT EXISTS {schema};");
            sql.AppendLine($"GRANT USAGE, CREATE ON SCHEMA {schema} TO {MessagingRole};");
            sql.AppendLine($"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO {MessagingRole};");
            sql.AppendLine($"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema} TO {MessagingRole};");
            sql.AppendLine($"GRANT ALL ON ALL ROUTINES IN SCHEMA {schema} TO {MessagingRole};");
            // Whoever creates Wolverine's tables first (the shared connection or a module's store), all may use them.
            foreach (var creator in creators)
            foreach (var kind in (string[])["TABLES", "SEQUENCES", "ROUTINES"])
                sql.AppendLine($"ALTER DEFAULT PRIVILEGES FOR ROLE {creator} IN SCHEMA {schema} GRANT ALL ON {kind} TO {MessagingRole};");
        }

        return sql.ToString();
    }

    private static string CreateRole(string role, string login) =>
        $"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} {login}; END IF; END$$;";
}
