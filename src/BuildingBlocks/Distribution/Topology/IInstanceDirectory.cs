using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Composition.Modules;
using Modular.BuildingBlocks.Composition.Security;

namespace Modular.BuildingBlocks.Distribution.Topology;

/// <summary>What this process knows of another deployment's instances; registered by the gateway.</summary>
public interface IInstanceDirectory
{
    IReadOnlyList<InstanceView>? InstancesOf(string deployment);
}
