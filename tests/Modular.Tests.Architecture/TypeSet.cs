using System.Reflection;
using NetArchTest.Rules;

namespace Modular.Tests.Architecture;

/// <summary>The types of one assembly under one namespace: a real project, or a deliberately bad example.</summary>
public sealed record TypeSet(Assembly Assembly, string Namespace)
{
    public static TypeSet Of(Assembly assembly) => new(assembly, assembly.GetName().Name!);

    public PredicateList Types() => NetArchTest.Rules.Types.InAssembly(Assembly).That().ResideInNamespace(Namespace);

    public IEnumerable<Type> Loaded() => Assembly.GetTypes().Where(t => t.Namespace?.StartsWith(Namespace, StringComparison.Ordinal) == true);

    public override string ToString() => Namespace;
}

/// <summary>A module as the rules see it: its internals and its contracts.</summary>
public sealed record ModuleAssemblies(string Name, TypeSet Internals, TypeSet Contracts)
{
    public override string ToString() => Name;
}
