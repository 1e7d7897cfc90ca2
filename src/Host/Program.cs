using JasperFx;
using Modular.BuildingBlocks;
using Modular.BuildingBlocks.Composition.Modules;
using Modular.BuildingBlocks.Composition.Security;
using Modular.BuildingBlocks.Distribution;
using Modular.BuildingBlocks.Distribution.Topology;
using Modular.Host;

var builder = WebApplication.CreateBuilder(args);
try
{
    // `modules [text|json|mermaid]`, `modules doc <file>`: the module map, without starting anything.
    if (ModuleMapCommand.Handles(args)) return ModuleMapCommand.Run(args, HostedModules.All, builder.Configuration, Console.Out);
    // `token [--subject alice] [--roles customer]`: a token of the embedded issuer (make token).
    if (TokenCommand.Handles(args)) return TokenCommand.Run(args, ModularOptions.Read(builder.Configuration).Authentication, Console.Out);
    // `database-roles`: each module's PostgreSQL role and schema (make run and make test run it first).
    if (DatabaseRolesCommand.Handles(args)) return await DatabaseRolesCommand.RunAsync(HostedModules.All, builder.Configuration, Console.Out);
    builder.AddModular(HostedModules.All);
}
catch (ModularConfigurationException e)
{
    return Refuse(e);
}
catch (Exception e) when (e is not HostAbortedException) // (a test host stops the entry point with that one)
{
    return CouldNotStart(e, logged: false);
}

var app = builder.Build();
try
{
    app.UseModular();
}
catch (ModularConfigurationException e)
{
    return Refuse(e);
}
catch (Exception e) when (e is not HostAbortedException) // (a test host stops the entry point with that one)
{
    return CouldNotStart(e, logged: false);
}

// No command (only settings such as --urls): the service itself. Run here rather than by JasperFx's runner, which
// logs a failed start and exits 0 — a supervisor (compose's restart: on-failure, systemd, Kubernetes) must see it fail.
if (args.Length == 0 || args[0].StartsWith('-'))
{
    try
    {
        await app.RunAsync();
        return 0;
    }
    catch (Exception e) when (e is not HostAbortedException)
    {
        return CouldNotStart(e, logged: true);
    }
}

// JasperFx commands: `run`, `codegen write`, `resources setup`, `describe`, ...
return await app.RunJasperFxCommands(args);

// A configuration that cannot work stops the process with one line saying why, not a stack trace.
static int Refuse(ModularConfigurationException e)
{
    Console.Error.WriteLine($"Modular: {e.Message}");
    return 2;
}

// Anything else that stops a start: exit code 1 and the reason as the last line on stderr (the stack trace is in the
// host's log, or printed first when no logger was running yet).
static int CouldNotStart(Exception e, bool logged)
{
    if (!logged) Console.Error.WriteLine(e);
    Console.Error.WriteLine($"Modular: could not start: {StartFailure.Reason(e)}");
    return 1;
}

/// <summary>Entry point type, visible to test hosts (Alba).</summary>
public partial class Program;
