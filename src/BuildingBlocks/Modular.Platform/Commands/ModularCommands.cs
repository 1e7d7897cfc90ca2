using Microsoft.Extensions.Configuration;
using Modular.Platform.Distribution;

namespace Modular.Platform.Commands;

/// <summary>
/// The host's own commands, run instead of the service and without starting anything:
/// <list type="bullet">
/// <item><c>modules [text|json|mermaid]</c>, <c>modules doc &lt;file&gt;</c>: the module map (<see cref="ModuleMapCommand"/>);</item>
/// <item><c>contracts [root]</c>: each module's contract schema and fixtures (<see cref="ContractsCommand"/>, make contracts);</item>
/// <item><c>token [--subject alice] [--roles customer]</c>: a token of the embedded issuer (<see cref="TokenCommand"/>, make token);</item>
/// <item><c>database-roles</c>: every module's and deployment's PostgreSQL role (<see cref="DatabaseRolesCommand"/>);</item>
/// <item><c>move-data prepare|switch &lt;Module&gt; --to …</c>: a module's data to another database while it serves (<see cref="MoveDataCommand"/>).</item>
/// </list>
/// Anything else (no arguments, <c>--urls</c>, JasperFx's <c>codegen</c>, <c>describe</c>…) is not theirs.
/// </summary>
public static class ModularCommands
{
    /// <summary>The exit code of the command <paramref name="args"/> name, or null when they name none of these.</summary>
    public static async Task<int?> TryRunAsync(string[] args, IReadOnlyList<ModuleDefinition> available, IConfiguration configuration,
        TextWriter output) => args.FirstOrDefault() switch
    {
        ModuleMapCommand.Name => ModuleMapCommand.Run(args, available, configuration, output),
        ContractsCommand.Name => ContractsCommand.Run(available, args.Skip(1).FirstOrDefault(a => !a.StartsWith('-')) ?? ".", output),
        TokenCommand.Name => TokenCommand.Run(args, ModularOptions.Read(configuration).Authentication, output),
        DatabaseRolesCommand.Name => await DatabaseRolesCommand.RunAsync(available, configuration, output),
        MoveDataCommand.Name => await MoveDataCommand.RunAsync(args, available, configuration, output),
        _ => null,
    };
}
