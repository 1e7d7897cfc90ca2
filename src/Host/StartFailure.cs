namespace Modular.Host;

/// <summary>Why a start failed, in one line: the messages down the exception's causes ("Failed to connect to
/// 10.0.0.5:5432: Connection refused"), without types or stack (those are in the log).</summary>
internal static class StartFailure
{
    public static string Reason(Exception exception)
    {
        var messages = new List<string>();
        foreach (var e in Causes(exception))
        {
            if (e is AggregateException { InnerExceptions.Count: 1 }) continue;
            var message = string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.');
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        var reason = string.Join(": ", messages);
        if (reason.Length > 400) reason = reason[..400] + "…";
        // The roles' passwords derive from the secret: a refused one almost always means a secret that differs from
        // the one database-roles was run with.
        if (Causes(exception).Any(e => e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InvalidPassword }))
            reason += " (with Modular:Database:RoleSecret set, is it the secret database-roles was run with?)";
        return reason;
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var e = exception; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e.InnerException)
            yield return e;
    }
}
