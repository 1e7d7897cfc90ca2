using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution.Topology;

namespace Modular.Tests.Unit.Platform;

public sealed class TopologyMapTests
{
    private static readonly ModuleDefinition Catalog = new FakeModule("Catalog");
    private static readonly ModuleDefinition Ordering = new FakeModule("Ordering");
    private static readonly ModuleDefinition Payments = new FakeModule("Payments");
    private static readonly ModuleDefinition[] Available = [Catalog, Ordering, Payments];

    private static readonly (string, string)[] TwoDeployments =
    [
        ("Modular:Topology:Transport", "RabbitMQ"),
        ("Modular:Topology:Deployments:core:Modules:0", "Catalog"),
        ("Modular:Topology:Deployments:core:Modules:1", "Payments"),
        ("Modular:Topology:Deployments:ordering:Modules:0", "Ordering"),
    ];

    [Fact]
    public void without_a_map_one_monolith_hosts_every_module_with_no_transport()
    {
        var map = TopologyMap.Read(Available, Configuration());

        Assert.Equal("monolith", map.Current.Name);
        Assert.Equal(Available, map.Current.Modules);
        Assert.Equal(TransportKind.Local, map.Transport);
    }

    [Fact]
    public void a_monolith_told_a_transport_keeps_it_and_its_message_store()
    {
        // While a module moves back (ADR 0028), the monolith reads the modules' queues of the split map's transport.
        var map = TopologyMap.Read(Available, Configuration([("Modular:Topology:Transport", "PostgreSQL")]));

        Assert.Equal(Available, map.Current.Modules);
        Assert.Equal(TransportKind.PostgreSQL, map.Transport);
        Assert.Equal("wolverine", map.StorageSchema);
    }

    [Fact]
    public void a_process_is_the_deployment_it_is_told_it_is()
    {
        var map = TopologyMap.Read(Available, Configuration([.. TwoDeployments, ("Modular:Deployment", "ordering")]));

        Assert.Equal([Ordering], map.Current.Modules);
        Assert.Equal("core", map.DeploymentOf(Payments)!.Name);
        Assert.Equal(TransportKind.RabbitMQ, map.Transport);
    }

    [Theory]
    [InlineData("shipping", "Modular:Deployment 'shipping' is not a deployment of the topology; known: core, ordering.")]
    [InlineData(null, "Modular:Deployment is not set; name the deployment this process is: core, ordering.")]
    public void an_unknown_or_missing_deployment_name_is_refused_in_one_line(string? name, string reason)
    {
        var settings = name is null ? TwoDeployments : [.. TwoDeployments, ("Modular:Deployment", name)];

        Assert.Equal(reason, Refusal(settings));
    }

    [Fact]
    public void a_module_in_two_deployments_is_refused() =>
        Assert.Equal("Module 'Payments' is assigned to deployments 'core' and 'ordering'; a module runs in exactly one deployment.",
            Refusal([.. TwoDeployments, ("Modular:Topology:Deployments:ordering:Modules:1", "Payments"), ("Modular:Deployment", "core")]));

    [Fact]
    public void a_module_in_no_deployment_is_refused_when_no_gateway_could_run_it() =>
        Assert.Equal("Module 'Payments' is assigned to no deployment in Modular:Topology:Deployments and no Modular:Topology:Gateway is named to run it; every module needs one.",
            Refusal([.. TwoDeployments.Where(s => s.Item2 != "Payments"), ("Modular:Deployment", "core")]));

    [Fact]
    public void a_module_the_map_does_not_name_runs_in_the_gateway_s_deployment()
    {
        var map = TopologyMap.Read(Available, Configuration([.. TwoDeployments.Where(s => s.Item2 != "Payments"),
            ("Modular:Topology:Gateway", "ordering"), ("Modular:Deployment", "core")]));

        Assert.Equal("ordering", map.DeploymentOf(Payments)!.Name);
        Assert.Equal([Ordering, Payments], map.Gateway!.Modules);
        Assert.Equal([Catalog], map.Current.Modules);
    }

    [Theory]
    [InlineData("Kafka", "Modular:Topology:Transport 'Kafka' is not a transport; use RabbitMQ or PostgreSQL.")]
    [InlineData("Local", "Modular:Topology:Transport 'Local' cannot connect 2 deployments; use RabbitMQ or PostgreSQL.")]
    [InlineData("", "Modular:Topology:Transport is not set; with several deployments choose RabbitMQ or PostgreSQL.")]
    public void a_transport_that_does_not_exist_or_cannot_connect_is_refused(string transport, string reason) =>
        Assert.Equal(reason, Refusal([.. TwoDeployments.Skip(1), ("Modular:Topology:Transport", transport), ("Modular:Deployment", "core")]));

    [Fact]
    public void an_unknown_module_in_the_map_is_refused() =>
        Assert.StartsWith("Deployment 'ordering' lists module 'Shipping'",
            Refusal([.. TwoDeployments, ("Modular:Topology:Deployments:ordering:Modules:1", "Shipping"), ("Modular:Deployment", "core")]),
            StringComparison.Ordinal);

    [Fact]
    public void a_map_and_a_module_list_together_are_refused() =>
        Assert.StartsWith("Set either Modular:Modules or Modular:Topology:Deployments",
            Refusal([.. TwoDeployments, ("Modular:Modules", "Catalog"), ("Modular:Deployment", "core")]), StringComparison.Ordinal);

    [Fact]
    public void the_gateway_is_the_deployment_the_map_names_and_only_it_forwards()
    {
        (string, string)[] map = [.. TwoDeployments, ("Modular:Topology:Gateway", "core")];

        var core = TopologyMap.Read(Available, Configuration([.. map, ("Modular:Deployment", "core")]));
        var ordering = TopologyMap.Read(Available, Configuration([.. map, ("Modular:Deployment", "ordering")]));

        Assert.Equal("core", core.Gateway?.Name);
        Assert.True(core.IsGateway);
        Assert.False(ordering.IsGateway);
    }

    [Fact]
    public void a_gateway_that_is_not_a_deployment_is_refused() =>
        Assert.Equal("Modular:Topology:Gateway 'edge' is not a deployment of the topology; known: core, ordering.",
            Refusal([.. TwoDeployments, ("Modular:Topology:Gateway", "edge"), ("Modular:Deployment", "core")]));

    [Fact]
    public void a_deployments_address_defaults_to_its_name_on_the_image_port_and_must_be_http()
    {
        var map = TopologyMap.Read(Available, Configuration([.. TwoDeployments, ("Modular:Deployment", "core"),
            ("Modular:Topology:Deployments:core:Url", "https://core.shop.internal")]));

        Assert.Equal(new Uri("http://ordering:8080"), map.Deployments.Single(d => d.Name == "ordering").Url);
        Assert.Equal(new Uri("https://core.shop.internal"), map.Deployments.Single(d => d.Name == "core").Url);
        Assert.Equal("Deployment 'ordering' has Url 'ordering:80', which is not an absolute http(s) URL.",
            Refusal([.. TwoDeployments, ("Modular:Deployment", "core"), ("Modular:Topology:Deployments:ordering:Url", "ordering:80")]));
    }

    private static string Refusal((string, string)[] settings) =>
        Assert.Throws<ModularConfigurationException>(() => TopologyMap.Read(Available, Configuration(settings))).Message;

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
