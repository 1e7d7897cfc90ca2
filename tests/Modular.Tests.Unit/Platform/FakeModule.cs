using Marten;
using Modular.Platform.Composition.Modules;

namespace Modular.Tests.Unit.Platform;

/// <summary>A module that is only a name, for tests of selection and topology.</summary>
internal sealed class FakeModule(string name) : ModuleDefinition<IDocumentStore>
{
    public override string Name => name;
}
