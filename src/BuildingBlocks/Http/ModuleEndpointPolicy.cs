using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Http;
using Modular.BuildingBlocks.Modules;
using Wolverine.Http;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Gives every endpoint its module's OpenAPI tag and a stable operation id (the endpoint class name
/// without "Endpoint", e.g. <c>AddProduct</c>), and refuses to start when a module maps a route outside
/// its <see cref="ModuleDefinition.RoutePrefix"/> or an endpoint belongs to no active module.
/// </summary>
internal sealed class ModuleEndpointPolicy(ActiveModules modules) : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var endpointType = chain.Method.HandlerType;
            var module = modules.FindByAssembly(endpointType.Assembly);
            if (module is null) continue; // framework endpoints (none today) stay untagged

            var route = "/" + chain.RoutePattern!.RawText!.TrimStart('/');
            if (!route.StartsWith(module.RoutePrefix + "/", StringComparison.Ordinal) && route != module.RoutePrefix)
                throw new ModularConfigurationException(
                    $"{endpointType.FullName} maps '{route}', outside module {module.Name}'s prefix '{module.RoutePrefix}'.");

            chain.WithTags(module.Name);
            if (!chain.HasExplicitOperationId)
                chain.OperationId = OperationIdFor(endpointType.Name);
        }
    }

    internal static string OperationIdFor(string endpointTypeName) =>
        endpointTypeName.EndsWith("Endpoint", StringComparison.Ordinal) ? endpointTypeName[..^"Endpoint".Length] : endpointTypeName;
}
