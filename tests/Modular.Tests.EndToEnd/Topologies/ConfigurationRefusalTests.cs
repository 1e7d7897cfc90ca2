using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>The real binary, started with a topology that cannot work, exits at once with one line saying why.</summary>
public sealed class ConfigurationRefusalTests
{
    private static readonly string[] Map =
    [
        "--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1;Database=never-used",
        "--Modular:Topology:Transport=PostgreSQL",
        "--Modular:Topology:Deployments:core:Modules:0=Catalog",
        "--Modular:Topology:Deployments:core:Modules:1=Payments",
        "--Modular:Topology:Deployments:ordering:Modules:0=Ordering",
        $"--Modular:Authentication:SigningKey={Topology.SigningKey}",
    ];

    public static TheoryData<string, string[]> Refusals() => new()
    {
        { "Modular:Deployment 'shipping' is not a deployment", [.. Map, "--Modular:Deployment=shipping"] },
        { "Module 'Payments' is assigned to deployments 'core' and 'ordering'",
            [.. Map, "--Modular:Topology:Deployments:ordering:Modules:1=Payments", "--Modular:Deployment=core"] },
        { "Module 'Payments' is assigned to no deployment", [.. Map.Where(s => !s.EndsWith("=Payments", StringComparison.Ordinal)), "--Modular:Deployment=core"] },
        { "Modular:Topology:Transport 'Carrier-Pigeon' is not a transport", [.. Map, "--Modular:Topology:Transport=Carrier-Pigeon", "--Modular:Deployment=core"] },
        { "Modular:Topology:Gateway 'edge' is not a deployment", [.. Map, "--Modular:Topology:Gateway=edge", "--Modular:Deployment=core"] },
        { "ConnectionStrings:RabbitMQ is not an amqp:// URI", [.. Map, "--Modular:Topology:Transport=RabbitMQ", "--Modular:Deployment=core"] },
        { "ConnectionStrings:Postgres is not a PostgreSQL connection string", ["--ConnectionStrings:Postgres=secret-but-malformed"] },
        { "Modular:Authentication: set Authority (an OpenID Connect issuer) or SigningKey",
            [.. Map.Where(s => !s.Contains("SigningKey", StringComparison.Ordinal)), "--Modular:Deployment=core"] },
        { "Modular:Authentication:SigningKey is not base64", [.. Map, "--Modular:Deployment=core", "--Modular:Authentication:SigningKey=secret!"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task the_host_refuses_to_start_with_a_one_line_reason(string reason, string[] settings)
    {
        var result = await Tool.RunAsync("dotnet", [HostProcess.HostAssembly, .. settings], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Modular: " + reason, line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
    }

    /// <summary>A start that fails (here: the database refuses the connection) exits 1 with the reason as the last line
    /// of stderr, so compose's <c>restart: on-failure</c>, systemd and scripts see it; the stack trace is in the log.</summary>
    [Fact]
    public async Task a_host_whose_database_refuses_it_exits_non_zero_with_the_reason()
    {
        var result = await Tool.RunAsync("dotnet",
            [HostProcess.HostAssembly, "--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1;Database=never-used;Password=secret-pw",
                $"--Modular:Authentication:SigningKey={Topology.SigningKey}"], timeout: TimeSpan.FromSeconds(90));

        Assert.Equal(1, result.ExitCode);
        var line = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal("Modular: could not start: Failed to connect to 127.0.0.1:1: Connection refused", line.Trim());
    }

    /// <summary>The test server checks passwords (scram-sha-256, as production does): a deployment given another role
    /// secret than database-roles used is refused its login and says which secret to look at.</summary>
    [Fact]
    public async Task a_host_given_the_wrong_role_secret_exits_non_zero_naming_the_refused_role_and_the_setting()
    {
        await using var database = await TestDatabase.CreateAsync("wrong-secret");
        (await Tool.RunAsync("dotnet", [HostProcess.BuiltHostAssembly, "database-roles", $"--ConnectionStrings:Postgres={database.ConnectionString}",
            $"--{Topology.RoleSecretKey}={Topology.RoleSecret}"], timeout: TimeSpan.FromSeconds(90))).EnsureSuccess("database-roles");
        var where = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = null, Password = null }.ConnectionString;

        var result = await Tool.RunAsync("dotnet",
            [HostProcess.HostAssembly, $"--ConnectionStrings:Postgres={where}", $"--{Topology.RoleSecretKey}=not-the-secret",
                $"--Modular:Authentication:SigningKey={Topology.SigningKey}"], timeout: TimeSpan.FromSeconds(90));

        Assert.Equal(1, result.ExitCode);
        var line = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        Assert.StartsWith("Modular: could not start: ", line, StringComparison.Ordinal);
        Assert.Contains("password authentication failed for user \"modular_", line, StringComparison.Ordinal);
        Assert.EndsWith("(with Modular:Database:RoleSecret set, is it the secret database-roles was run with?)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", result.Error, StringComparison.Ordinal);
    }
}
