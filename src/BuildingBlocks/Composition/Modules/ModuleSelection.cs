using Microsoft.Extensions.Configuration;

namespace Modular.BuildingBlocks.Composition.Modules;

/// <summary>
/// Which of the host's modules run in this process: <c>Modular:Modules</c> (a list or a comma-separated
/// string); absent means all of them.
/// </summary>
public static class ModuleSelection
{
    public const string ConfigurationKey = "Modular:Modules";

    public static IReadOnlyList<ModuleDefinition> Select(IReadOnlyList<ModuleDefinition> available, IConfiguration configuration)
    {
        var duplicate = available.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ModularConfigurationException($"Module '{duplicate.Key}' is listed twice by the host.");

        var section = configuration.GetSection(ConfigurationKey);
        if (!section.Exists()) return available;
        var requested = ReadNames(section);

        var unknown = requested.Where(n => !available.Any(m => Same(m.Name, n))).ToList();
        if (unknown.Count > 0)
            throw new ModularConfigurationException(
                $"{ConfigurationKey} names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which this host does not have; " +
                $"known modules: {string.Join(", ", available.Select(m => m.Name))}.");

        return available.Where(m => requested.Any(n => Same(m.Name, n))).ToList();
    }

    /// <summary>A list of module names: a configuration array or one comma-separated string; repeats ignored.</summary>
    internal static List<string> ReadNames(IConfigurationSection section)
    {
        var names = section.Value is { } flat
            ? flat.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0);
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
