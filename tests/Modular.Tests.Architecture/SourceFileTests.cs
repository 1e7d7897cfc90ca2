using System.Text.RegularExpressions;
using Modular.Tests.Support;

namespace Modular.Tests.Architecture;

/// <summary>
/// One use case per file (docs/adding-a-module.md): a module's file holds at most one endpoint or handler class, so
/// the file named after a use case is where that use case is — and nothing else's entry point hides beside it.
/// </summary>
public sealed partial class SourceFileTests
{
    [Fact]
    public void each_module_file_holds_at_most_one_endpoint_or_handler_class()
    {
        var root = Tool.RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src", "Modules"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "templates"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => EntryPoints(File.ReadAllText(f)).Count == 1); // the rule sees the classes it counts

        Assert.Empty(files.Select(f => (File: Path.GetRelativePath(root, f), Classes: EntryPoints(File.ReadAllText(f))))
            .Where(f => f.Classes.Count > 1)
            .Select(f => $"{f.File}: {string.Join(", ", f.Classes)}"));
    }

    [Fact]
    public void the_rule_counts_every_endpoint_and_handler_class_of_a_file() =>
        Assert.Equal(["ProductAddedEventHandler", "AddProductEndpoint", "OrderPlacedConsumer"], EntryPoints("""
            public sealed record AddProduct(string Sku);
            public static class ProductAddedEventHandler { }
            public static partial class AddProductEndpoint { }
            internal sealed class OrderPlacedConsumer { }
            public sealed class ProductRules { }
            """));

    /// <summary>Classes named as Wolverine endpoints and handlers are (<c>*Endpoint</c>, <c>*Handler</c>, <c>*Consumer</c>).</summary>
    public static IReadOnlyList<string> EntryPoints(string source) =>
        EntryPointClass().Matches(source).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"\bclass\s+(\w+(?:Endpoint|Handler|Consumer))\b")]
    private static partial Regex EntryPointClass();
}
