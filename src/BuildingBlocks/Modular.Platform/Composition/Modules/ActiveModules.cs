namespace Modular.Platform.Composition.Modules;

/// <summary>The modules this process runs; registered as a singleton.</summary>
public sealed class ActiveModules(IReadOnlyList<ModuleDefinition> modules)
{
    public IReadOnlyList<ModuleDefinition> All { get; } = modules;

    /// <summary>Every value these modules' unique indexes keep unique (a taken one is answered 409).</summary>
    public IReadOnlyList<UniqueValue> UniqueValues { get; } = modules.SelectMany(m => m.UniqueValues).ToArray();

    public ModuleDefinition? FindByAssembly(System.Reflection.Assembly assembly) => All.FirstOrDefault(m => m.Assembly == assembly);

    /// <summary>The module whose routes a request path is on (<c>/api/&lt;module&gt;/…</c>), if any.</summary>
    public ModuleDefinition? OwnerOfRoute(Microsoft.AspNetCore.Http.PathString path) =>
        All.FirstOrDefault(m => path.StartsWithSegments(m.RoutePrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The one module these handler types belong to; null for framework or test handlers, or a chain several modules
    /// share (the policies that tag or gate a module's handlers leave those alone).
    /// </summary>
    public ModuleDefinition? SoleOwnerOf(IEnumerable<Type> handlerTypes) =>
        handlerTypes.Select(t => FindByAssembly(t.Assembly)).Distinct().ToList() is [{ } module] ? module : null;
}
