using Marten;
using Modular.Platform.Composition.Modules;

namespace Modular.Tests.Integration.Platform;

/// <summary>A module's Marten store keeps documents and events in the module's own schema, nowhere else.</summary>
public static class ModuleStoreRules
{
    public static IReadOnlyList<string> Violations(ModuleDefinition module, IReadOnlyStoreOptions options)
    {
        var violations = new List<string>();
        if (options.DatabaseSchemaName != module.Schema)
            violations.Add($"{module.Name}: documents default to schema '{options.DatabaseSchemaName}', not '{module.Schema}'.");
        if (options.Events.DatabaseSchemaName != module.Schema)
            violations.Add($"{module.Name}: events live in schema '{options.Events.DatabaseSchemaName}', not '{module.Schema}'.");
        violations.AddRange(options.AllKnownDocumentTypes()
            .Where(d => d.TableName.Schema != module.Schema)
            .Select(d => $"{module.Name}: {d.DocumentType.Name} is stored in '{d.TableName.QualifiedName}'."));
        return violations;
    }
}
