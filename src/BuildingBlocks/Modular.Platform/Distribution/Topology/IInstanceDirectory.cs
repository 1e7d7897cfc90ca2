namespace Modular.Platform.Distribution.Topology;

/// <summary>What this process knows of another deployment's instances; registered by the gateway.</summary>
public interface IInstanceDirectory
{
    IReadOnlyList<InstanceView>? InstancesOf(string deployment);
}
