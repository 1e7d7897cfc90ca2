using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Http;
using Modular.Platform.Composition.Modules;
using Wolverine.Http;

namespace Modular.Platform.Composition.Http;

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
            // Wolverine defaults both to the generated class name (GET_api_catalog_products); attributes win.
            var method = chain.Method.Method;
            if (method.GetCustomAttribute<EndpointSummaryAttribute>() is null)
                chain.EndpointSummary = SummaryFor(chain.OperationId);
            if (method.GetCustomAttribute<EndpointDescriptionAttribute>() is null)
                chain.EndpointDescription = null;
        }
    }

    /// <summary>"ChangeProductPrice" reads "Change product price".</summary>
    internal static string SummaryFor(string operationId) =>
        string.Concat(operationId.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    internal static string OperationIdFor(string endpointTypeName) =>
        endpointTypeName.EndsWith("Endpoint", StringComparison.Ordinal) ? endpointTypeName[..^"Endpoint".Length] : endpointTypeName;
}
