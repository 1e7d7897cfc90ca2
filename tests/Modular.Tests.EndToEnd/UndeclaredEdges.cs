using System.Collections.Concurrent;
using System.Reflection;
using Xunit.Sdk;

[assembly: Modular.Tests.EndToEnd.UndeclaredEdgesFailTheTest]

namespace Modular.Tests.EndToEnd;

/// <summary>
/// The module map checked against what flows, in every topology the suite runs: each host process's output is watched
/// for the warning a process logs when it handles a message on an edge the map does not declare (MessageLedger's
/// "Undeclared message edge:"), and the test during which one appears fails (<see cref="UndeclaredEdgesFailTheTestAttribute"/>).
/// </summary>
public sealed class UndeclaredEdges
{
    /// <summary>How the product's warning starts (MessageLedger.UndeclaredEdgeLog; the integration suite checks the two agree).</summary>
    public const string LogText = "Undeclared message edge:";

    /// <summary>What every host process of the suite writes is noted here.</summary>
    public static UndeclaredEdges Suite { get; } = new();

    private readonly ConcurrentQueue<string> _seen = new();

    /// <summary>Called with every line a host process writes.</summary>
    public void Note(string process, string line)
    {
        if (line.Contains(LogText, StringComparison.Ordinal)) _seen.Enqueue($"{process}: {line.Trim()}");
    }

    /// <summary>Throws when a warning was noted since the last check; each one is reported once.</summary>
    public void Check()
    {
        var seen = new List<string>();
        while (_seen.TryDequeue(out var line)) seen.Add(line);
        if (seen.Count > 0)
            throw new XunitException($"A process handled a message on an edge the module map does not declare:\n{string.Join("\n", seen)}");
    }
}

/// <summary>Fails the test during which a host process reported an undeclared message edge (applied to the whole assembly).</summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class UndeclaredEdgesFailTheTestAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest) => UndeclaredEdges.Suite.Check();
}
