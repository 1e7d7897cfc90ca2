using Modular.Modules.Catalog;
using Modular.Modules.Ordering;
using Modular.Modules.Payments;
using Modular.Sdk;

namespace Modular.Host;

/// <summary>Every module this binary can run. Configuration (Modular:Modules) picks which ones a process runs.</summary>
public static class HostedModules
{
    public static IReadOnlyList<ModuleDefinition> All { get; } =
    [
        new CatalogModule(),
        new OrderingModule(),
        new PaymentsModule(),
    ];
}
