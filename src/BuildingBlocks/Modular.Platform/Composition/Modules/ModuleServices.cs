using Microsoft.Extensions.DependencyInjection;
using Scrutor;

namespace Modular.Platform.Composition.Modules;

/// <summary>
/// Convention (Scrutor): every public class of a module that implements a public interface declared in
/// that same module is registered, scoped, under those interfaces. Type-based registrations keep
/// Wolverine's generated code free of service location. Interfaces the module registered itself are skipped.
/// </summary>
internal static class ModuleServices
{
    public static void Scan(IServiceCollection services, ModuleDefinition module) =>
        services.Scan(scan => scan
            .FromAssemblies(module.Assembly)
            .AddClasses(classes => classes.Where(type => OwnInterfaces(type, module).Any()), publicOnly: true)
            .UsingRegistrationStrategy(RegistrationStrategy.Skip)
            .As(type => OwnInterfaces(type, module))
            .WithScopedLifetime());

    private static IEnumerable<Type> OwnInterfaces(Type type, ModuleDefinition module) =>
        type.GetInterfaces().Where(i => i.Assembly == module.Assembly && i.IsPublic && i != module.StoreType);
}
