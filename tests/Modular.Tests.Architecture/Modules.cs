using System.Reflection;
using Modular.Host;

namespace Modular.Tests.Architecture;

/// <summary>Every module of the Host's list, with its Contracts assembly (found by name).</summary>
public static class Modules
{
    public static IReadOnlyList<ModuleAssemblies> All { get; } = HostedModules.All
        .Select(m => new ModuleAssemblies(m.Name, TypeSet.Of(m.Assembly),
            TypeSet.Of(Assembly.Load(m.Assembly.GetName().Name + ".Contracts"))))
        .ToList();

    /// <summary>The hosting platform: composition, distribution, commands. Only the Host references it.</summary>
    public static Assembly Platform => typeof(Modular.Platform.ModularHost).Assembly;

    /// <summary>The module SDK: all a module sees of the framework.</summary>
    public static Assembly Sdk => typeof(ModuleDefinition).Assembly;

    /// <summary>Each pair (module, other module) for rules about crossing a boundary.</summary>
    public static IEnumerable<(ModuleAssemblies Module, ModuleAssemblies Other)> Pairs() =>
        from module in All from other in All where other != module select (module, other);
}
