using Modular.Platform.Composition.Persistence;
using Npgsql;

namespace Modular.Tests.Unit.Platform;

public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void a_connection_string_gets_statement_preparation_and_no_keepalive()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Username=app;Database=shop"));

        // No keepalive: it cost ~12 % of reads; dead connections leave the pools at the first failure (ConnectionPools).
        Assert.Equal((ConnectionDefaults.MaxAutoPrepare, 0), (applied.MaxAutoPrepare, applied.KeepAlive));
        Assert.Equal(("db", "shop"), (applied.Host, applied.Database));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;Keepalive=5", 5)]
    [InlineData("Host=db;maxautoprepare = 0 ; KEEPALIVE=7", 7)]
    public void a_setting_the_connection_string_names_itself_wins_even_when_it_switches_it_off(string connectionString, int keepalive)
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(connectionString));

        Assert.Equal((0, keepalive), (applied.MaxAutoPrepare, applied.KeepAlive));
    }

    [Fact]
    public void a_setting_inside_a_quoted_value_is_not_the_setting()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db;Password=\"a;Max Auto Prepare=0\""));

        Assert.Equal((ConnectionDefaults.MaxAutoPrepare, "a;Max Auto Prepare=0"), (applied.MaxAutoPrepare, applied.Password));
    }
}
