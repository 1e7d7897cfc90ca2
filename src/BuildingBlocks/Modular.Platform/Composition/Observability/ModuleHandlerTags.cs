using System.Diagnostics;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Modular.Platform.Composition.Modules;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace Modular.Platform.Composition.Observability;

/// <summary>
/// Every message a module handles is measured, traced and logged under its module: the generated handler code starts
/// by tagging the envelope (<c>modular.module</c>, <c>modular.deployment</c>; Wolverine's meters — handled, failed,
/// execution time, … — carry the tags from there) and the handling span (which the JSON logs show on each line). The
/// message's own queue does not say it: one event can have handlers in several modules. Applied whatever the
/// configuration, so code generated ahead of time (the image's) has it too. Public only because the generated code
/// calls <see cref="Tag"/>.
/// </summary>
public sealed class ModuleHandlerTags(ActiveModules modules, string deployment) : IHandlerPolicy
{
    /// <summary>
    /// The module whose handler took the message, set on the envelope as it runs: the messages it sends name it as their
    /// sender, and the message ledger counts the handling under it.
    /// </summary>
    public const string HandlerHeader = "modular-handler";

    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.SelectMany(c => c.ByEndpoint.Prepend(c)))
        {
            if (modules.SoleOwnerOf(chain.Handlers.Select(h => h.HandlerType)) is not { } module) continue;
            var tag = new MethodCall(typeof(ModuleHandlerTags), nameof(Tag));
            tag.Arguments[1] = Literal(module.Name);
            tag.Arguments[2] = Literal(deployment);
            chain.Middleware.Insert(0, tag);
        }
    }

    /// <summary>Called by the generated handler code (hence public).</summary>
    public static void Tag(Envelope envelope, string module, string deployment)
    {
        envelope.Headers[HandlerHeader] = module;
        envelope.SetMetricsTag(Telemetry.ModuleTag, module);
        envelope.SetMetricsTag(Telemetry.DeploymentTag, deployment);
        Activity.Current?.SetTag(Telemetry.ModuleTag, module).SetTag(Telemetry.DeploymentTag, deployment);
    }

    private static Variable Literal(string text) => new(typeof(string), "\"" + text.Replace("\"", "", StringComparison.Ordinal) + "\"");
}
