using Modular.BuildingBlocks;
using Modular.Host;
using Wolverine;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);
builder.AddModular(HostedModules.All);

var app = builder.Build();
app.UseModular();

// JasperFx commands: `run` (default), `codegen write`, `resources setup`, `describe`, ...
return await app.RunJasperFxCommands(args);

/// <summary>Entry point type, visible to test hosts (Alba).</summary>
public partial class Program;
