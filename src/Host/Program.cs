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

var app = builder.Build();
try
{
    app.UseModular();
}
catch (ModularConfigurationException e)
{
    return Refuse(e);
}

// JasperFx commands: `run` (default), `codegen write`, `resources setup`, `describe`, ...
return await app.RunJasperFxCommands(args);

// A configuration that cannot work stops the process with one line saying why, not a stack trace.
static int Refuse(ModularConfigurationException e)
{
    Console.Error.WriteLine($"Modular: {e.Message}");
    return 2;
}

/// <summary>Entry point type, visible to test hosts (Alba).</summary>
public partial class Program;
