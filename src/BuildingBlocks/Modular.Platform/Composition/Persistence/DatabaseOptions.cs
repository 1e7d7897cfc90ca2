namespace Modular.Platform.Composition.Persistence;

/// <summary><c>Modular:Database</c>: who changes the schema, and whether each module logs in as its own role.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Each process brings the schema up to date at start; false leaves it to a release step (<c>resources setup</c>).</summary>
    public bool ApplyChangesOnStartup { get; set; } = true;

    /// <summary>When set, each module's store logs in as its own role, its password derived from this (ADR 0013).</summary>
    public string? RoleSecret { get; set; }

    /// <summary>How often each process asks each module's database whether a data move fences the module (ADR 0029).</summary>
    public TimeSpan FenceInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
