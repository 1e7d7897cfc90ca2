using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution;

namespace Modular.Tests.Unit.Platform;

public sealed class ModuleSelectionTests
{
    private static readonly ModuleDefinition[] Available = [new FakeModule("Catalog"), new FakeModule("Ordering")];

    [Fact]
    public void selects_every_module_when_nothing_is_configured() =>
        Assert.Equal(Available, ModuleSelection.Select(Available, Configuration()));

    [Theory]
    [InlineData("catalog")]
    [InlineData(" Catalog , catalog")]
    public void selects_the_listed_modules_by_name_ignoring_case_and_repeats(string value) =>
        Assert.Equal(["Catalog"], ModuleSelection.Select(Available, Configuration(("Modular:Modules", value))).Select(m => m.Name));

    [Fact]
    public void reads_a_configuration_array_too() =>
        Assert.Equal(["Ordering"], ModuleSelection.Select(Available, Configuration(("Modular:Modules:0", "Ordering"))).Select(m => m.Name));

    [Fact]
    public void an_empty_value_selects_no_module() =>
        Assert.Empty(ModuleSelection.Select(Available, Configuration(("Modular:Modules", ""))));

    [Fact]
    public void an_unknown_module_is_a_one_line_error_naming_the_known_ones()
    {
        var error = Assert.Throws<ModularConfigurationException>(() =>
            ModuleSelection.Select(Available, Configuration(("Modular:Modules", "Catalog,Shiping"))));

        Assert.Equal("Modular:Modules names 'Shiping', which this host does not have; known modules: Catalog, Ordering.", error.Message);
    }

    [Fact]
    public void a_host_listing_one_module_twice_is_an_error() =>
        Assert.Throws<ModularConfigurationException>(() =>
            ModuleSelection.Select([new FakeModule("Catalog"), new FakeModule("catalog")], Configuration()));

    /// <summary>The names as the host reads them: <c>Modular:Modules</c> bound through <see cref="ModularOptions"/>.</summary>
    private static ModuleNames? Configuration(params (string Key, string Value)[] values) =>
        ModularOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build()).Modules;
}
