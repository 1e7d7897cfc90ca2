using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Configuration;
using Wolverine.Http;
using Wolverine.Runtime.Handlers;

namespace Modular.Platform.Composition.Modules;

/// <summary>
/// Refuses to start when a handler or endpoint of a module this process does not run made it into
/// Wolverine's graph. Discovery only includes the selected modules' assemblies, but pre-generated code
/// (TypeLoadMode.Static) ships registries listing every module; the Release build deletes them
/// (eng/publish.sh) and this guard makes sure that never regresses silently.
/// </summary>
internal sealed class ModuleBoundaryGuard(IReadOnlyList<ModuleDefinition> available, ActiveModules active) : IHandlerPolicy, IHttpPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container) =>
        Check(chains.SelectMany(c => c.Handlers).Select(h => h.HandlerType));

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container) =>
        Check(chains.Select(c => c.Method.HandlerType));

    internal void Check(IEnumerable<Type> types)
    {
        var stray = types.FirstOrDefault(t => available.Any(m => m.Assembly == t.Assembly) && active.FindByAssembly(t.Assembly) is null);
        if (stray is not null)
            throw new ModularConfigurationException(
                $"{stray.FullName} belongs to a module this deployment does not run; pre-generated Wolverine registries must not list every module (see eng/publish.sh).");
    }
}
