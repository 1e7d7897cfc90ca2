namespace Modular.Platform.Composition.Modules;

/// <summary>
/// Which of the host's modules run in this process without a topology map: <c>Modular:Modules</c> (a list or a
/// comma-separated string); absent means all of them.
/// </summary>
public static class ModuleSelection
{
    public const string ConfigurationKey = "Modular:Modules";

    public static IReadOnlyList<ModuleDefinition> Select(IReadOnlyList<ModuleDefinition> available, ModuleNames? requested)
    {
        var duplicate = available.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ModularConfigurationException($"Module '{duplicate.Key}' is listed twice by the host.");
        if (requested is null) return available;

        var unknown = requested.Where(n => !available.Any(m => string.Equals(m.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ModularConfigurationException(
                $"{ConfigurationKey} names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which this host does not have; " +
                $"known modules: {string.Join(", ", available.Select(m => m.Name))}.");

        return available.Where(requested.Names).ToList();
    }
}
