using JasperFx.CodeGeneration;
using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution;

namespace Modular.Tests.Unit.Platform;

public sealed class ModularOptionsTests
{
    [Fact]
    public void nothing_configured_is_every_default()
    {
        var options = Read();

        Assert.Null(options.Modules);
        Assert.Empty(options.Topology.Deployments);
        Assert.Equal(16, options.Parallelism);
        Assert.Equal(TypeLoadMode.Dynamic, options.CodeGeneration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Gateway.Timeout);
        Assert.True(options.Database.ApplyChangesOnStartup);
        Assert.Equal("modular", options.Authentication.Audience);
        Assert.Equal("simple", options.Logging.Format);
        Assert.Equal(5, options.Metrics.BacklogSeconds);
    }

    [Theory]
    [InlineData(null, null, 16)]
    [InlineData("4", null, 4)]
    [InlineData(null, "8", 8)] // the older key, still read
    [InlineData("4", "8", 4)] // the new one wins
    public void one_parallelism_setting_for_every_queue(string? parallelism, string? older, int expected) =>
        Assert.Equal(expected, Read(("Modular:QueueParallelism", parallelism), ("Modular:LocalQueueParallelism", older)).Parallelism);

    [Fact]
    public void a_deployment_lists_its_modules_as_an_array_or_one_string_and_keys_ignore_case()
    {
        var options = Read(("Modular:Topology:Deployments:core:Modules", "Catalog, Payments"),
            ("modular:topology:deployments:ordering:modules:0", "Ordering"), ("Modular:Topology:Deployments:ordering:Url", "http://o:80"));

        Assert.Equal(["Catalog", "Payments"], options.Topology.Deployments["core"].Modules);
        Assert.Equal(["Ordering"], options.Topology.Deployments["Ordering"].Modules);
        Assert.Equal("http://o:80", options.Topology.Deployments["ordering"].Url);
    }

    [Fact]
    public void wolverines_own_durability_settings_pass_through_whole()
    {
        var options = Read(("Modular:Durability:StaleNodeTimeout", "00:00:05"), ("Modular:Durability:HealthCheckPollingTime", "00:00:01"));

        var durability = new Wolverine.DurabilitySettings();
        options.Durability!.Bind(durability);
        Assert.Equal(TimeSpan.FromSeconds(5), durability.StaleNodeTimeout);
    }

    [Fact]
    public void a_key_the_section_does_not_have_stops_the_host_with_one_line_naming_it()
    {
        var refused = Assert.Throws<ModularConfigurationException>(() =>
            Read(("Modular:QueueParalelism", "4"), ("Modular:Gateway:Timeout", "00:00:05"), ("Modular:Topology:Deployments:core:Module", "Catalog")));

        Assert.Equal("Modular:QueueParalelism, Modular:Topology:Deployments:core:Module are not settings; " +
                     "the settings are listed in docs/configuration.md.", refused.Message);
    }

    [Fact]
    public void a_value_of_the_wrong_kind_stops_the_host_with_one_line_naming_the_key()
    {
        var refused = Assert.Throws<ModularConfigurationException>(() => Read(("Modular:Gateway:Timeout", "soon")));

        Assert.Contains("'Modular:Gateway:Timeout'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void keys_name_every_setting_with_dictionaries_and_pass_through_sections_marked()
    {
        var keys = ModularOptions.Keys();

        Assert.Contains("Modular:Topology:Deployments:<key>:Modules", keys);
        Assert.Contains("Modular:RateLimits:Modules:<key>:Burst", keys);
        Assert.Contains("Modular:Durability:*", keys);
        Assert.DoesNotContain("Modular:Parallelism", keys); // computed, not a setting
    }

    private static ModularOptions Read(params (string Key, string? Value)[] values) =>
        ModularOptions.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());
}
