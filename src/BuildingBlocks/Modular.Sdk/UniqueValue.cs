namespace Modular.Sdk;

/// <summary>
/// A value one of a module's unique indexes keeps unique, and what a client is told when a write would repeat it:
/// 409 with this title and detail. The index decides, in the write's own transaction — no query first, and no race
/// between a check and the insert (ADR 0015). Declared on the module (<c>ModuleDefinition.UniqueValues</c>); the
/// index is named the same in <c>ConfigureStore</c>.
/// </summary>
public sealed record UniqueValue(string Index, string Title, string Detail)
{
    /// <summary>The declared value a failed write found taken, if that is why it failed (Marten may have wrapped the error).</summary>
    public static UniqueValue? TakenIn(Exception exception, IReadOnlyList<UniqueValue> declared)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } violation)
                return declared.FirstOrDefault(v => v.Index == violation.ConstraintName);
        }

        return null;
    }
}
