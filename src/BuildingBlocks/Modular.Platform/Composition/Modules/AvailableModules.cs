namespace Modular.Platform.Composition.Modules;

/// <summary>Every module the binary has, hosted here or not (for the module map).</summary>
public sealed record AvailableModules(IReadOnlyList<ModuleDefinition> All);
