using Modular.BuildingBlocks.Composition.Persistence;
using Npgsql;

namespace Modular.Tests.Unit.BuildingBlocks;

public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void a_connection_string_gets_statement_preparation_and_a_keepalive_for_pooled_connections()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Username=app;Database=shop"));

        Assert.Equal((ConnectionDefaults.MaxAutoPrepare, ConnectionDefaults.KeepaliveSeconds), (applied.MaxAutoPrepare, applied.KeepAlive));
        Assert.Equal(("db", "shop"), (applied.Host, applied.Database));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;Keepalive=0")]
    [InlineData("Host=db;maxautoprepare = 0 ; KEEPALIVE=0")]
    public void a_setting_the_connection_string_names_itself_wins_even_when_it_switches_it_off(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(connectionString));

        Assert.Equal((0, 0), (applied.MaxAutoPrepare, applied.KeepAlive));
    }

    [Fact]
    public void a_setting_inside_a_quoted_value_is_not_the_setting()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Password=\"a;Keepalive=0\""));

        Assert.Equal((ConnectionDefaults.KeepaliveSeconds, "a;Keepalive=0"), (applied.KeepAlive, applied.Password));
    }
}
