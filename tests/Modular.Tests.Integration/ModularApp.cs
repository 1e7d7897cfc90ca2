using Alba;
using JasperFx.Resources;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Commands;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Security;
using Modular.Platform.Distribution.Topology;
using Modular.Tests.Support;
using OpenTelemetry.Trace;
using Wolverine;
using Wolverine.Tracking;

namespace Modular.Tests.Integration;

/// <summary>
/// One real host (all of its selected modules, real PostgreSQL) per test collection. Tests call
/// <see cref="ResetAsync"/> first; data from other tests is gone, the host stays warm.
/// </summary>
public class ModularApp : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Every span the host finished (its OpenTelemetry tracing, exported in memory); cleared by <see cref="ResetAsync"/>.</summary>
    public SpanRecorder Spans { get; } = new();

    /// <summary>Value for <c>Modular:Modules</c>; null = every module.</summary>
    protected virtual string? Modules => null;

    /// <summary>Extra settings for the host, applied after the defaults.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(GetType().Name);
        var settings = await SettingsAsync();
        // Each module's store logs in as its own role, as make run's would (make run runs `database-roles` first).
        await DatabaseRolesCommand.ProvisionAsync(Database.ConnectionString, Modular.Host.HostedModules.All, new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .AddInMemoryCollection([new(ModuleRoles.SecretKey, RoleSecret), .. Modules is null ? [] : new[] { new KeyValuePair<string, string?>(ModuleSelection.ConfigurationKey, Modules) }])
            .Build());
        Host = await AlbaHost.For<Program>(builder =>
        {
            // Not "Development": the tests see what production clients see (no exception details).
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Postgres", Database.ConnectionString);
            builder.UseSetting("Modular:DurabilityMode", nameof(DurabilityMode.Solo));
            builder.UseSetting("Modular:Telemetry:Enabled", "true"); // traced into Spans, exported nowhere
            builder.UseSetting("Modular:Metrics:Enabled", "true"); // scraped at /metrics, as the container image serves it
            builder.UseSetting("Modular:Authentication:SigningKey", _signingKey); // the embedded issuer, a key per host
            builder.UseSetting("Modular:RateLimits:PermitsPerSecond", "0"); // one token sends every test's requests
            builder.UseSetting(ModuleRoles.SecretKey, RoleSecret);
            if (Modules is not null) builder.UseSetting(ModuleSelection.ConfigurationKey, Modules);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            // The test assembly's probe handlers subscribe to integration events, as another module would.
            builder.ConfigureServices(services =>
            {
                services.ConfigureWolverine(opts => opts.Discovery.IncludeAssembly(typeof(ModularApp).Assembly));
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
                services.AddSingleton<IStartupFilter>(new ContractCheck(() => Contract));
            });
        });

        // Every scenario is the developer's (every role) unless it sets its own Authorization header.
        Host.BeforeEach(context =>
        {
            if (!context.Request.Headers.ContainsKey("Authorization"))
                context.Request.Headers.Authorization = $"Bearer {DeveloperToken}";
        });

        // From here on every answer a test receives is checked against the OpenAPI document (ContractCheck).
        using var client = Host.Server.CreateClient();
        Contract = new OpenApiConformance(await client.GetStringAsync("/swagger/v1/swagger.json"));
    }

    private readonly string _signingKey = EmbeddedIssuer.NewKey();

    /// <summary>The secret the roles' passwords are derived from: the test server's (<see cref="TestDatabase.RoleSecret"/>).</summary>
    public static string RoleSecret => TestDatabase.RoleSecret;

    /// <summary>The host's embedded issuer: tokens for any subject and roles.</summary>
    public EmbeddedIssuer Tokens => EmbeddedIssuer.FromBase64(_signingKey);

    /// <summary>The embedded issuer's key this host is given (a subclass may give more).</summary>
    protected string SigningKey => _signingKey;

    /// <summary>A token with every role, sent by every scenario that sets no Authorization header of its own.</summary>
    public string DeveloperToken => _developerToken ??= Tokens.Issue("developer", Roles.All, TimeSpan.FromHours(1));
    private string? _developerToken;

    /// <summary>This host's OpenAPI document, checking every API response (null until the host served it).</summary>
    public OpenApiConformance? Contract { get; private set; }

    public async Task ResetAsync()
    {
        foreach (var module in Host.Services.GetRequiredService<ActiveModules>().All)
            await ((IDocumentStore)Host.Services.GetRequiredService(module.StoreType)).Advanced.ResetAllData();
        await Host.ResetResourceState();
        // The payment simulator's rules live in memory: a test that changed them must not decide the next one's payments.
        Host.Services.GetService<Modular.Modules.Payments.SimulatorSettings>()?.Apply(
            Modular.Modules.Payments.SimulatorRules.From(new Modular.Modules.Payments.SimulatorSettings()));
        Spans.Clear();
    }

    /// <summary>Runs <paramref name="action"/> and waits until every message it caused has been handled.</summary>
    public Task<ITrackedSession> TrackAsync(Func<Task> action, bool failuresExpected = false)
    {
        var tracking = Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30));
        if (failuresExpected) tracking = tracking.DoNotAssertOnExceptionsDetected();
        return tracking.ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => action()));
    }

    /// <summary>Sends a request expected to fail and returns its RFC 7807 body, checking status and media type.</summary>
    public async Task<ProblemBody> ProblemAsync(Action<Scenario> request, int status)
    {
        var result = await Host.Scenario(x =>
        {
            request(x);
            x.StatusCodeShouldBe(status);
            x.ContentTypeShouldBe("application/problem+json");
        });
        var body = await result.ReadAsJsonAsync<ProblemBody>();
        Assert.NotNull(body);
        Assert.Equal(status, body.Status);
        Assert.False(string.IsNullOrWhiteSpace(body.Title));
        return body;
    }

    public virtual async Task DisposeAsync()
    {
        // Either may be missing when start-up failed; the start-up error is the one to report.
        if (Host is not null) await Host.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

/// <summary>Finished spans, collected from any thread.</summary>
public sealed class SpanRecorder : System.Collections.ObjectModel.Collection<System.Diagnostics.Activity>
{
    private readonly Lock _lock = new();

    public IReadOnlyList<System.Diagnostics.Activity> Snapshot()
    {
        lock (_lock) return [.. this];
    }

    protected override void InsertItem(int index, System.Diagnostics.Activity item)
    {
        lock (_lock) base.InsertItem(index, item);
    }

    protected override void ClearItems()
    {
        lock (_lock) base.ClearItems();
    }
}
