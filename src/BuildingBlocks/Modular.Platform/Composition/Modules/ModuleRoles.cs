using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Modular.Platform.Composition.Modules;

/// <summary>
/// Least privilege in the database (ADR 0013). Each module's store connects as its own PostgreSQL role,
/// <c>modular_&lt;schema&gt;</c>, which owns the module's schema and nothing else; another module's schema answers
/// <c>permission denied</c>. Each deployment's shared connection (Wolverine's agents, its message storage, health,
/// backlog) logs in as <c>modular_messaging_&lt;deployment&gt;</c>, which owns that deployment's storage schema and may use
/// the PostgreSQL transport's queue tables (the group <c>modular_queues</c>); a module's role is a member of the messaging
/// role of each deployment the map places it in, since its transaction writes its outbox there. So a running process
/// holds no login that may create roles, and one deployment cannot reach another's message storage.
/// On when <c>Modular:Database:RoleSecret</c> is set: each role's password is derived from it (HMAC-SHA256 of the role
/// name), so the provisioning step and every deployment agree without a secret per role. An explicit
/// <c>ConnectionStrings:&lt;Module&gt;</c> still wins (a module in a database of its own). Roles are made by
/// <c>Modular.Host database-roles</c> (<c>make run</c> and <c>make test</c> run it; compose and Kubernetes run it as a
/// one-shot step) with <c>ConnectionStrings:PostgresAdmin</c>, which must be allowed to create roles.
/// </summary>
public static class ModuleRoles
{
    public const string SecretKey = "Modular:Database:RoleSecret";
    public const string QueuesRole = "modular_queues";
    private const string LegacyMessagingRole = "modular_messaging"; // one group for every deployment, before ADR 0013's amendment

    public static string RoleOf(ModuleDefinition module) => $"modular_{module.Schema}";

    /// <summary>The login of <paramref name="deployment"/>'s shared connection.</summary>
    public static string MessagingRoleOf(string deployment) =>
        "modular_messaging_" + new string(deployment.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>The module's connection string: the shared one, logged in as the module's role.</summary>
    public static string ConnectionString(string shared, ModuleDefinition module, string secret) => LoggedInAs(shared, RoleOf(module), secret);

    /// <summary>The deployment's shared connection string, logged in as its messaging role.</summary>
    public static string MessagingConnectionString(string shared, string deployment, string secret) =>
        LoggedInAs(shared, MessagingRoleOf(deployment), secret);

    private static string LoggedInAs(string connectionString, string role, string secret) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = Password(secret, role) }.ConnectionString;

    private static string Password(string secret, string role) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(role)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A deployment as the database sees it: its messaging role owns <paramref name="StorageSchema"/>, and
    /// <paramref name="Modules"/> (those without a database of their own) write their outbox there.</summary>
    public sealed record DeploymentStorage(string Deployment, string StorageSchema, IReadOnlyList<ModuleDefinition> Modules);

    /// <summary>
    /// Creates or updates, in the database <paramref name="adminConnectionString"/> points at, the role and schema of
    /// each deployment's modules and of its message storage, and the queue schema they share. Idempotent; safe to run
    /// before every start. Memberships are only added: while a module moves, it writes to both deployments' storage.
    /// Which deployments and schemas: <c>DatabaseRolesCommand</c>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProvisionAsync(string adminConnectionString, IReadOnlyList<DeploymentStorage> deployments,
        string queueSchema, string secret, CancellationToken ct = default)
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
                command.CommandText = Script(deployments, queueSchema, secret, (string)(await command.ExecuteScalarAsync(ct))!);
                await command.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
                return deployments.Select(d => MessagingRoleOf(d.Deployment)).Concat(deployments.SelectMany(d => d.Modules).Select(RoleOf))
                    .Distinct().ToList();
            }
            catch (PostgresException e) when (attempt < 10 && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError
                                                  or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), ct);
            }
        }
    }

    private static string Script(IReadOnlyList<DeploymentStorage> deployments, string queueSchema, string secret, string provisioner)
    {
        var sql = new StringBuilder();
        var admin = $"\"{provisioner.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        sql.AppendLine(CreateRole(QueuesRole, "NOLOGIN"));
        sql.AppendLine($"CREATE SCHEMA IF NOT EXISTS {queueSchema};");
        sql.AppendLine($"REVOKE ALL ON SCHEMA {queueSchema} FROM PUBLIC;");
        sql.AppendLine($"GRANT USAGE, CREATE ON SCHEMA {queueSchema} TO {QueuesRole};");
        GrantAll(sql, queueSchema, QueuesRole);
        foreach (var module in deployments.SelectMany(d => d.Modules).Distinct())
        {
            var role = RoleOf(module);
            Login(sql, role, secret);
            Own(sql, module.Schema, role);
            sql.AppendLine($"DO $$BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{LegacyMessagingRole}') THEN REVOKE {LegacyMessagingRole} FROM {role}; END IF; END$$;");
        }

        foreach (var deployment in deployments)
        {
            var role = MessagingRoleOf(deployment.Deployment);
            var schema = deployment.StorageSchema;
            Login(sql, role, secret);
            sql.AppendLine($"GRANT {QueuesRole} TO {role};");
            Own(sql, schema, role);
            // The queue tables this role creates, every messaging role may use (default privileges are per creator).
            GrantFuture(sql, role, queueSchema, QueuesRole);
            foreach (var module in deployment.Modules)
            {
                sql.AppendLine($"GRANT {role} TO {RoleOf(module)};");
                // Wolverine's tables, if a module's store creates them first, are the deployment's too.
                GrantFuture(sql, RoleOf(module), schema, role);
            }
        }

        GrantFuture(sql, admin, queueSchema, QueuesRole);
        return sql.ToString();
    }

    private static void Login(StringBuilder sql, string role, string secret)
    {
        sql.AppendLine(CreateRole(role, "LOGIN"));
        sql.AppendLine($"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD '{Password(secret, role)}';");
    }

    /// <summary>The schema, and whatever is in it (made before it had a role of its own: an upgrade), become the role's.</summary>
    private static void Own(StringBuilder sql, string schema, string role)
    {
        sql.AppendLine($"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role};");
        sql.AppendLine($"ALTER SCHEMA {schema} OWNER TO {role};");
        sql.AppendLine($"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;");
        sql.AppendLine($"""
            DO $$DECLARE t record; BEGIN
              FOR t IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') LOOP
                EXECUTE format('ALTER %s {schema}.%I OWNER TO {role}', CASE t.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, t.relname);
              END LOOP;
              FOR t IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{schema}' LOOP
                EXECUTE format('ALTER ROUTINE %s OWNER TO {role}', t.f);
              END LOOP;
            END$$;
            """);
    }

    private static readonly string[] Kinds = ["TABLES", "SEQUENCES", "ROUTINES"];

    /// <summary>What is in <paramref name="schema"/> now, usable by <paramref name="role"/>.</summary>
    private static void GrantAll(StringBuilder sql, string schema, string role)
    {
        foreach (var kind in Kinds) sql.AppendLine($"GRANT ALL ON ALL {kind} IN SCHEMA {schema} TO {role};");
    }

    /// <summary>What <paramref name="creator"/> makes in <paramref name="schema"/> from now on, usable by <paramref name="role"/>.</summary>
    private static void GrantFuture(StringBuilder sql, string creator, string schema, string role)
    {
        foreach (var kind in Kinds) sql.AppendLine($"ALTER DEFAULT PRIVILEGES FOR ROLE {creator} IN SCHEMA {schema} GRANT ALL ON {kind} TO {role};");
    }

    private static string CreateRole(string role, string login) =>
        $"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} {login}; END IF; END$$;";
}
