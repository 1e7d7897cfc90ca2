namespace Modular.Platform.Composition.Persistence;

/// <summary>
/// Who brings the database schema up to date. By default every process does, at start (each module store and
/// Wolverine's message storage compare the database with their configuration and apply the difference) and on
/// first use of a document type: nothing to run by hand, but each start pays for the comparison (about 0.6 s of
/// a 2.5 s start on the standard machine, docs/benchmarks.md). With <c>Modular:Database:ApplyChangesOnStartup</c>
/// = false a release step does it once — <c>Modular.Host resources setup</c> with the same configuration — and the
/// processes neither compare nor change the schema.
/// </summary>
public static class SchemaChanges
{
    internal static JasperFx.AutoCreate AutoCreate(bool applyChangesOnStartup) =>
        applyChangesOnStartup ? JasperFx.AutoCreate.CreateOrUpdate : JasperFx.AutoCreate.None;
}
