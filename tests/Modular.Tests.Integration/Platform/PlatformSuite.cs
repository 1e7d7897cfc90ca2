namespace Modular.Tests.Integration.Platform;

[CollectionDefinition(Name)]
public sealed class PlatformSuite : ICollectionFixture<ModularApp>
{
    public const string Name = "platform";
}

/// <summary>A host that lists no module: <c>Modular:Modules</c> is empty.</summary>
public sealed class HostWithoutModules : ModularApp
{
    protected override string? Modules => "";
}

[CollectionDefinition(Name)]
public sealed class WithoutModulesSuite : ICollectionFixture<HostWithoutModules>
{
    public const string Name = "without-modules";
}
