namespace Modular.Platform.Composition.Modules;

/// <summary>The modules this process runs; registered as a singleton.</summary>
public sealed class ActiveModules(IReadOnlyList<ModuleDefinition> modules)
{
    public IReadOnlyList<ModuleDefinition> All { get; } = modules;

    /// <summary>Every value these modules' unique indexes keep unique (a taken one is answered 409).</summary>
    public IReadOnlyList<UniqueValue> UniqueValues { get; } = modules.SelectMany(m => m.UniqueValues).ToArray();

    public ModuleDefinition? FindByAssembly(System.Reflection.Assembly assembly) => All.FirstOrDefault(m => m.Assembly == assembly);
}
