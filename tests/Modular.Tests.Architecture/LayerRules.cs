using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace Modular.Tests.Architecture;

/// <summary>
/// The layering of the platform (ADR 0021) as functions returning violations (empty = rule holds): <c>Composition</c>
/// (modules, stores, HTTP, OpenAPI, health…) knows nothing of <c>Distribution</c> (topology, transports, gateway,
/// operations) nor of the host that wires both, the build-time commands sit on both as the host does, and no two namespaces use each other, directly or round a loop.
/// </summary>
public static class LayerRules
{
    public const string Composition = "Composition";
    public const string Distribution = "Distribution";
    public const string Commands = "Commands";

    /// <summary>Which namespaces of <paramref name="assembly"/> under <paramref name="root"/> use which others, with the types that do.</summary>
    public static IReadOnlyList<NamespaceUse> Uses(Assembly assembly, string root)
    {
        var byNamespace = assembly.GetTypes()
            .Where(t => t.Namespace == root || t.Namespace?.StartsWith(root + ".", StringComparison.Ordinal) == true)
            .GroupBy(t => t.Namespace!)
            .ToDictionary(g => g.Key, g => g.Select(t => t.FullName!).ToArray());
        var types = Types.InAssembly(assembly);
        var uses = new List<NamespaceUse>();
        foreach (var user in byNamespace.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var (used, usedTypes) in byNamespace.Where(n => n.Key != user).OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                var result = types.That().ResideInNamespaceMatching($"^{Regex.Escape(user)}$")
                    .ShouldNot().HaveDependencyOnAny(usedTypes).GetResult();
                if (!result.IsSuccessful)
                    uses.Add(new NamespaceUse(user, used, result.FailingTypeNames?.ToList() ?? []));
            }
        }

        return uses;
    }

    /// <summary>Every use of a Distribution namespace, or of the root (the host that wires both), by a Composition one.</summary>
    public static IReadOnlyList<string> CompositionKnowsNoDistribution(IReadOnlyList<NamespaceUse> uses, string root) =>
        uses.Where(u => IsIn(u.User, root, Composition) && !IsIn(u.Used, root, Composition))
            .Select(u => u.ToString())
            .ToList();

    /// <summary>Every use of the build-time commands (which, like the host, sit on both layers) by either layer.</summary>
    public static IReadOnlyList<string> NothingUsesTheCommands(IReadOnlyList<NamespaceUse> uses, string root) =>
        uses.Where(u => IsIn(u.Used, root, Commands) && !IsIn(u.User, root, Commands)).Select(u => u.ToString()).ToList();

    /// <summary>Every namespace under <paramref name="root"/> but the root itself (the host) belongs to a layer or to the commands.</summary>
    public static IReadOnlyList<string> EveryNamespaceHasALayer(Assembly assembly, string root) =>
        assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith(root + ".", StringComparison.Ordinal) && !IsIn(ns, root, Composition) && !IsIn(ns, root, Distribution)
                         && !IsIn(ns, root, Commands))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Every use that lies on a cycle (its used namespace leads back to its user, directly or round a loop).</summary>
    public static IReadOnlyList<string> NoNamespaceCycles(IReadOnlyList<NamespaceUse> uses)
    {
        var next = uses.GroupBy(u => u.User).ToDictionary(g => g.Key, g => g.Select(u => u.Used).ToList());
        return uses.Where(u => Reaches(next, u.Used, u.User)).Select(u => $"{u}, and {u.Used} leads back to {u.User}").ToList();
    }

    private static bool Reaches(Dictionary<string, List<string>> next, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var current))
        {
            if (current == to) return true;
            foreach (var used in next.GetValueOrDefault(current, []))
                if (seen.Add(used)) queue.Enqueue(used);
        }

        return false;
    }

    private static bool IsIn(string ns, string root, string layer) =>
        ns == $"{root}.{layer}" || ns.StartsWith($"{root}.{layer}.", StringComparison.Ordinal);
}

/// <summary>Types of <see cref="User"/> that use types of <see cref="Used"/>.</summary>
public sealed record NamespaceUse(string User, string Used, IReadOnlyList<string> By)
{
    public override string ToString() => $"{User} uses {Used} ({string.Join(", ", By.Take(3))})";
}
