using JasperFx;
using Modular.Host;
using Modular.Platform;
using Modular.Platform.Commands;
using Modular.Platform.Composition.Modules;

var builder = WebApplication.CreateBuilder(args);
try
{
    // `modules`, `contracts`, `token`, `database-roles`: the host's own commands, without starting anything.
    if (await ModularCommands.TryRunAsync(args, HostedModules.All, builder.Configuration, Console.Out) is { } exitCode) return exitCode;
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
