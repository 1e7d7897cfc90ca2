using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Modules;
using Modular.Tests.Support;
using Wolverine;
using Wolverine.Runtime;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// Every payload ever published (each message's committed fixture, <c>fixtures/&lt;Type&gt;.json</c> beside its
/// Contracts) is still read by Wolverine's own serializer as its type and handled without a failure by today's
/// handlers: a message sent by an older version of a deployment still works after this one is upgraded (ADR 0020).
/// </summary>
[Collection(PlatformSuite.Name)]
public sealed class ContractFixtureTests(ModularApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => app.ResetAsync();

    public static TheoryData<string> Fixtures()
    {
        var fixtures = new TheoryData<string>();
        foreach (var module in Modular.Host.HostedModules.All)
        {
            var directory = Path.Combine(Tool.RepositoryRoot(), "src", "Modules", module.Name, ContractSchemas.ContractsOf(module).GetName().Name!,
                ContractSchemas.FixturesDirectory);
            foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
                fixtures.Add($"{module.Name}/{Path.GetFileName(file)}");
        }

        return fixtures;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task a_published_payload_is_still_read_and_handled(string fixture)
    {
        var module = Modular.Host.HostedModules.All.Single(m => m.Name == fixture.Split('/')[0]);
        var contracts = ContractSchemas.ContractsOf(module);
        var type = ContractSchemas.Messages(contracts).Single(t => t.Name == Path.GetFileNameWithoutExtension(fixture.Split('/')[1]));
        var payload = await File.ReadAllBytesAsync(Path.Combine(Tool.RepositoryRoot(), "src", "Modules", module.Name, contracts.GetName().Name!,
            ContractSchemas.FixturesDirectory, fixture.Split('/')[1]));

        var runtime = app.Host.Services.GetRequiredService<IWolverineRuntime>();
        var message = runtime.Options.DefaultSerializer!.ReadFromData(type, new Envelope { Data = payload });

        Assert.IsType(type, message);
        await app.TrackAsync(async () =>
        {
            using var scope = app.Host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(message);
        });
    }
}
