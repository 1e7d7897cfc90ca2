namespace Modular.BuildingBlocks.Modules;

/// <summary>The modules this process runs; registered as a singleton.</summary>
public sealed class ActiveModules(IReadOnlyList<ModuleDefinition> modules)
{
    public IReadOnlyList<ModuleDefinition> All { get; } = modules;

    public ModuleDefinition? FindByAssembly(System.Reflection.Assembly assembly) => All.FirstOrDefault(m => m.Assembly == assembly);
}
