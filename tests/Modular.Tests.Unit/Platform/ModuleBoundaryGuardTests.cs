using Modular.Modules.Catalog;
using Modular.Modules.Ordering;
using Modular.Platform.Composition.Modules;

namespace Modular.Tests.Unit.Platform;

public sealed class ModuleBoundaryGuardTests
{
    private static readonly ModuleDefinition Catalog = new CatalogModule();
    private static readonly ModuleBoundaryGuard CatalogOnly = new([Catalog, new OrderingModule()], new ActiveModules([Catalog]));

    [Fact]
    public void lets_the_modules_this_process_runs_through() =>
        Assert.Null(Record.Exception(() => CatalogOnly.Check([typeof(AddProductEndpoint), typeof(GetProductEndpoint), typeof(string)])));

    [Fact]
    public void refuses_an_endpoint_or_handler_of_a_module_this_process_does_not_run()
    {
        var refusal = Assert.Throws<ModularConfigurationException>(() => CatalogOnly.Check([typeof(AddProductEndpoint), typeof(PlaceOrderEndpoint)]));

        Assert.StartsWith("Modular.Modules.Ordering.PlaceOrderEndpoint belongs to a module this deployment does not run", refusal.Message,
            StringComparison.Ordinal);
    }
}
