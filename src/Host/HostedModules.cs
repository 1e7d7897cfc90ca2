using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog;

namespace Modular.Host;

/// <summary>Every module this binary can run. Configuration (Modular:Modules) picks which ones a process runs.</summary>
public static class HostedModules
{
    public static IReadOnlyList<ModuleDefinition> All { get; } =
    [
        new CatalogModule(),
    ];
}
