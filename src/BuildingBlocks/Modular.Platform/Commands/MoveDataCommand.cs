using System.Globalization;
using Microsoft.Extensions.Configuration;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Distribution.Handover;

namespace Modular.Platform.Commands;

/// <summary>
/// <c>Modular.Host move-data prepare|switch &lt;Module&gt; --to &lt;connection string&gt; [--from &lt;connection string&gt;]
/// [--patience &lt;seconds&gt;]</c>: moves a module's data to another database while it serves (ADR 0029,
/// <see cref="ModuleDataMove"/>). <c>--from</c> defaults to <c>ConnectionStrings:PostgresAdmin</c> (else <c>Postgres</c>);
/// both logins must be allowed to replicate (the admin's).
/// </summary>
public static class MoveDataCommand
{
    public const string Name = "move-data";

    public static async Task<int> RunAsync(string[] args, IReadOnlyList<ModuleDefinition> available, IConfiguration configuration, TextWriter output)
    {
        var words = Positional(args.Skip(1).ToArray());
        if (words is not [var step and ("prepare" or "switch"), var name] || Option(args, "--to") is not { } to)
        {
            await output.WriteLineAsync($"usage: {Name} prepare|switch <Module> --to <connection string> [--from <connection string>] [--patience <seconds>]");
            return 2;
        }

        var module = available.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
                     ?? throw new ModularConfigurationException($"No module is named {name} (modules: {string.Join(", ", available.Select(m => m.Name))}).");
        var from = Option(args, "--from") ?? DatabaseRolesCommand.AdminConnectionString(configuration)
                   ?? throw new ModularConfigurationException($"Say where {module.Name}'s data is now: --from, or ConnectionStrings:PostgresAdmin (or Postgres).");
        var patience = TimeSpan.FromSeconds(double.Parse(Option(args, "--patience") ?? "300", CultureInfo.InvariantCulture));
        var plan = new ModuleDataMove.Plan(module, from, to, patience);
        if (step == "prepare") await ModuleDataMove.PrepareAsync(plan, output);
        else await ModuleDataMove.SwitchAsync(plan, output);
        return 0;
    }

    /// <summary>The words that are neither an option nor an option's value.</summary>
    private static List<string> Positional(string[] args)
    {
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
            if (args[i].StartsWith("--", StringComparison.Ordinal)) i++;
            else words.Add(args[i]);
        return words;
    }

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(); // as TokenCommand reads its own
}
