using Microsoft.Extensions.Configuration;
using Modular.Platform.Commands;
using Modular.Platform.Composition.Modules;
using Modular.Tests.Support;

namespace Modular.Tests.Integration.Platform;

/// <summary>
/// <c>move-data</c> on two databases of the test server, with no process running the module (ADR 0029): what the move
/// does to the data, the fences and the replication objects, and what it refuses. The move under load, with processes
/// fencing themselves, is MoveDataWhileServingTests (end-to-end).
/// </summary>
public sealed class MoveDataCommandTests : IAsyncLifetime
{
    private TestDatabase _source = null!;
    private TestDatabase _target = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDatabase.CreateAsync("move_source");
        _target = await TestDatabase.CreateAsync("move_target");
        // Ordering's schema as far as the move is concerned: a document table and an event sequence.
        await _source.ExecuteAsync("""
            CREATE SCHEMA ordering;
            CREATE TABLE ordering.mt_doc_order (id uuid PRIMARY KEY, data jsonb NOT NULL);
            CREATE SEQUENCE ordering.mt_events_sequence;
            INSERT INTO ordering.mt_doc_order VALUES (gen_random_uuid(), '{"Status": "Confirmed"}');
            SELECT nextval('ordering.mt_events_sequence') FROM generate_series(1, 41);
            """);
    }

    [Fact]
    public async Task prepare_copies_and_replicates_switch_catches_up_fences_the_source_and_leaves_no_replication_behind()
    {
        Assert.Equal(0, await RunAsync("prepare"));
        Assert.Equal(1L, await _target.ScalarAsync<long>("SELECT count(*) FROM ordering.mt_doc_order"));
        Assert.True(await _target.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM modular.module_fences WHERE module = 'Ordering')"));

        // Written after the copy, before the switch: replicated.
        await _source.ExecuteAsync("""INSERT INTO ordering.mt_doc_order VALUES (gen_random_uuid(), '{"Status": "Placed"}'); SELECT nextval('ordering.mt_events_sequence')""");
        Assert.Equal(0, await RunAsync("switch"));

        Assert.Equal(2L, await _target.ScalarAsync<long>("SELECT count(*) FROM ordering.mt_doc_order"));
        Assert.Equal(42L, await _target.ScalarAsync<long>("SELECT last_value FROM ordering.mt_events_sequence"));
        Assert.True(await _source.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM modular.module_fences WHERE module = 'Ordering')"));
        Assert.False(await _target.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM modular.module_fences WHERE module = 'Ordering')"));
        Assert.Equal(0L, await _target.ScalarAsync<long>("SELECT count(*) FROM pg_subscription WHERE subname LIKE 'modular_move_%'"));
        Assert.Equal(0L, await _source.ScalarAsync<long>("SELECT count(*) FROM pg_publication"));
        Assert.Equal(0L, await _source.ScalarAsync<long>($"SELECT count(*) FROM pg_replication_slots WHERE database = '{_source.Name}'"));

        // The old copy is fenced: moving from it again is refused.
        await Assert.ThrowsAsync<ModularConfigurationException>(() => RunAsync("prepare"));
    }

    [Fact]
    public async Task prepare_refuses_a_target_that_holds_the_modules_data_unfenced_and_changes_nothing()
    {
        await _target.ExecuteAsync("""
            CREATE SCHEMA ordering;
            CREATE TABLE ordering.mt_doc_order (id uuid PRIMARY KEY, data jsonb NOT NULL);
            INSERT INTO ordering.mt_doc_order VALUES (gen_random_uuid(), '{"Status": "Live"}');
            """);

        var refused = await Assert.ThrowsAsync<ModularConfigurationException>(() => RunAsync("prepare"));

        Assert.Contains("may be live", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await _target.ScalarAsync<long>("SELECT count(*) FROM ordering.mt_doc_order"));
        Assert.False(await _target.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'modular')"));
        Assert.Equal(0L, await _source.ScalarAsync<long>("SELECT count(*) FROM pg_publication"));
    }

    [Fact]
    public async Task switch_without_prepare_is_refused_and_the_source_is_not_fenced()
    {
        await Assert.ThrowsAsync<ModularConfigurationException>(() => RunAsync("switch"));
        Assert.False(await _source.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'modular')"));
    }

    private async Task<int> RunAsync(string step)
    {
        using var output = new StringWriter();
        return await MoveDataCommand.RunAsync(["move-data", step, "Ordering", "--from", _source.ConnectionString, "--to", _target.ConnectionString,
            "--patience", "60"], Modular.Host.HostedModules.All, new ConfigurationBuilder().Build(), output);
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        await _source.DisposeAsync();
    }
}
