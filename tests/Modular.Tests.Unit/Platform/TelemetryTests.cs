using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Distribution;
using OpenTelemetry.Trace;

namespace Modular.Tests.Unit.Platform;

public sealed class TelemetryTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData("http://collector:4318", null, true)]
    [InlineData(null, "true", true)]
    [InlineData("http://collector:4318", "false", false)]
    public void telemetry_is_on_only_when_there_is_somewhere_to_send_it_or_it_is_asked_for(string? endpoint, string? enabled, bool on)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Telemetry.OtlpEndpointKey] = endpoint,
            [Telemetry.EnabledKey] = enabled,
        }).Build();
        var services = new ServiceCollection();

        var options = ModularOptions.Read(configuration);
        services.AddModularTelemetry("Monolith", [new FakeModule("Catalog")], options.Telemetry, options.Metrics, configuration);

        using var provider = services.BuildServiceProvider();
        Assert.Equal(on, provider.GetService<TracerProvider>() is not null);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void metrics_for_prometheus_are_on_when_asked_for(string? enabled, bool on)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Telemetry.MetricsEnabledKey] = enabled,
        }).Build();
        var services = new ServiceCollection();

        var options = ModularOptions.Read(configuration);
        services.AddModularTelemetry("Monolith", [new FakeModule("Catalog")], options.Telemetry, options.Metrics, configuration);

        using var provider = services.BuildServiceProvider();
        Assert.Equal(on, provider.GetService<OpenTelemetry.Metrics.MeterProvider>() is not null);
        Assert.Null(provider.GetService<TracerProvider>()); // traces stay off without somewhere to send them
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("simple", false)]
    [InlineData("json", true)]
    [InlineData(" JSON ", true)]
    public void console_logs_are_json_when_asked_for(string? format, bool json)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ModularLogging.FormatKey] = format,
        }).Build();

        Assert.Equal(json, ModularLogging.IsJson(ModularOptions.Read(configuration).Logging));
    }

    [Fact]
    public void an_unknown_log_format_stops_the_host_with_one_line_naming_the_choices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ModularLogging.FormatKey] = "xml",
        }).Build();

        var refused = Assert.Throws<Modular.Platform.Composition.Modules.ModularConfigurationException>(() => ModularLogging.IsJson(ModularOptions.Read(configuration).Logging));
        Assert.Contains("'simple' (the default) or 'json'", refused.Message, StringComparison.Ordinal);
    }
}
