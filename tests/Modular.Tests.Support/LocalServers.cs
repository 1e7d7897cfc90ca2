using Npgsql;

namespace Modular.Tests.Support;

/// <summary>
/// A PostgreSQL server of a test's own (eng/postgres.sh), durable as in production (fsync on), that the test may
/// crash and start again: <c>pg_ctl stop -m immediate</c> cuts every client off with no checkpoint, and the next
/// start recovers from the WAL on the same port.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private LocalPostgres(string directory, Dictionary<string, string> environment, string connectionString)
    {
        _directory = directory;
        _environment = environment;
        ServerConnectionString = connectionString;
    }

    /// <summary>The admin connection string (database <c>postgres</c>), on loopback.</summary>
    public string ServerConnectionString { get; }

    /// <param name="alsoListenOn">An address besides loopback (a network namespace's way in).</param>
    public static async Task<LocalPostgres> StartAsync(string? alsoListenOn = null)
    {
        var directory = Directory.CreateTempSubdirectory("modular-fault-pg.").FullName;
        var environment = new Dictionary<string, string>();
        if (alsoListenOn is not null) environment["MODULAR_POSTGRES_LISTEN"] = alsoListenOn;
        var started = await Script("postgres.sh", ["start", directory], environment);
        return new LocalPostgres(directory, environment, started.Output.Trim());
    }

    public async Task CrashAsync()
    {
        await Script("postgres.sh", ["crash", _directory], _environment);
        NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the server
    }

    public async Task StartAgainAsync() => await Script("postgres.sh", ["start", _directory], _environment);

    public async ValueTask DisposeAsync()
    {
        await Script("postgres.sh", ["remove", _directory], _environment);
        NpgsqlConnection.ClearAllPools(); // a later server may get the same port, and so the same pool key
    }

    internal static async Task<Tool.Result> Script(string script, string[] arguments, IReadOnlyDictionary<string, string> environment) =>
        (await Tool.RunAsync(Path.Combine(Tool.RepositoryRoot(), "eng", script), arguments, timeout: TimeSpan.FromMinutes(3),
            environment: environment)).EnsureSuccess($"eng/{script} {string.Join(' ', arguments)}");
}

/// <summary>
/// A RabbitMQ node of a test's own (eng/rabbitmq.sh) that the test may <c>kill -9</c> and start again on the same
/// ports, with the durable queues and persistent messages it had.
/// </summary>
public sealed class LocalRabbitMq : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private LocalRabbitMq(string directory, Dictionary<string, string> environment, Uri uri)
    {
        _directory = directory;
        _environment = environment;
        Uri = uri;
    }

    /// <summary>The node's <c>amqp://</c> URI on loopback.</summary>
    public Uri Uri { get; }

    /// <param name="alsoListenOn">An address AMQP listens on besides loopback (a network namespace's way in).</param>
    public static async Task<LocalRabbitMq> StartAsync(string? alsoListenOn = null)
    {
        var directory = Directory.CreateTempSubdirectory("modular-fault-rabbitmq.").FullName;
        var environment = new Dictionary<string, string>();
        if (alsoListenOn is not null) environment["MODULAR_RABBITMQ_LISTEN"] = alsoListenOn;
        var started = await LocalPostgres.Script("rabbitmq.sh", ["start", directory], environment);
        return new LocalRabbitMq(directory, environment, new Uri(started.Output.Trim()));
    }

    public async Task KillAsync() => await LocalPostgres.Script("rabbitmq.sh", ["kill", _directory], _environment);

    public async Task StartAgainAsync() => await LocalPostgres.Script("rabbitmq.sh", ["start", _directory], _environment);

    public async ValueTask DisposeAsync() => await LocalPostgres.Script("rabbitmq.sh", ["stop", _directory], _environment);
}
