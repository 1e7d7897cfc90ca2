using System.Reflection;
using Mono.Cecil;
using NetArchTest.Rules;

namespace Modular.Tests.Architecture;

/// <summary>
/// The module rules as functions returning violations (empty = rule holds), so each can be run against
/// the real code and against a deliberately bad type set. NetArchTest matches namespaces by prefix, so
/// "another module's internals" is spelled as that assembly's type names, never as a namespace string.
/// </summary>
public static class ModuleRules
{
    private const string ModulesPrefix = "Modular.Modules.";

    public static IReadOnlyList<string> BuildingBlocksKnowNoModule(TypeSet buildingBlocks, IEnumerable<ModuleAssemblies> modules)
    {
        var moduleTypes = modules.SelectMany(m => m.Internals.Loaded().Concat(m.Contracts.Loaded())).Select(t => t.FullName!).ToArray();
        var byType = Failing(buildingBlocks.Types().ShouldNot().HaveDependencyOnAny(moduleTypes).GetResult());
        var byReference = buildingBlocks.Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith(ModulesPrefix, StringComparison.Ordinal))
            .Select(a => $"{buildingBlocks.Assembly.GetName().Name} references {a.Name}");
        return byType.Concat(byReference).ToList();
    }

    /// <summary>
    /// A module's internals reference, of this solution, only the module SDK, contracts and their own Contracts: never the
    /// platform (topology, gateway, host), which the compiler then keeps out of reach (ADR 0021).
    /// </summary>
    public static IReadOnlyList<string> ModuleSeesOnlyTheSdk(Assembly module, Assembly sdk) =>
        module.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("Modular.", StringComparison.Ordinal) && n != sdk.GetName().Name
                        && !(n.StartsWith(ModulesPrefix, StringComparison.Ordinal) && n.EndsWith(".Contracts", StringComparison.Ordinal)))
            .Select(n => $"{module.GetName().Name} references {n}")
            .ToList();

    public static IReadOnlyList<string> ModuleUsesOnlyContractsOf(TypeSet module, TypeSet other)
    {
        var internals = other.Loaded().Select(t => t.FullName!).ToArray();
        var byType = Failing(module.Types().ShouldNot().HaveDependencyOnAny(internals).GetResult());
        var byReference = module.Assembly.GetReferencedAssemblies()
            .Where(a => a.Name == other.Assembly.GetName().Name)
            .Select(a => $"{module.Assembly.GetName().Name} references {a.Name}");
        return byType.Concat(byReference).ToList();
    }

    public static IReadOnlyList<string> ContractsDependOnlyOnTheBaseLibrary(TypeSet contracts)
    {
        var byType = Failing(contracts.Types().Should().OnlyHaveDependenciesOn("System", contracts.Namespace).GetResult());
        var byReference = contracts.Assembly.GetReferencedAssemblies()
            .Where(a => !IsBaseLibrary(a))
            .Select(a => $"{contracts.Assembly.GetName().Name} references {a.Name}");
        return byType.Concat(byReference).ToList();
    }

    public static IReadOnlyList<string> IntegrationEventsAreImmutableSealedRecords(TypeSet contracts) =>
        Failing(contracts.Types().And().HaveNameEndingWith("Event", StringComparison.Ordinal)
            .Should().MeetCustomRule(new ImmutableSealedRecord()).GetResult()).ToList();

    public static IReadOnlyList<string> ContractsHoldOnlyImmutableRecordsAndEnums(TypeSet contracts) =>
        Failing(contracts.Types().And().AreNotNested()
            .Should().MeetCustomRule(new ImmutableRecordOrEnum()).GetResult()).ToList();

    /// <summary>Types named *Event are integration events; they belong in Contracts (stream events take no suffix).</summary>
    public static IReadOnlyList<string> InternalsDeclareNoIntegrationEvents(TypeSet internals) =>
        Failing(internals.Types().ShouldNot().HaveNameEndingWith("Event", StringComparison.Ordinal).GetResult()).ToList();

    /// <summary>
    /// Secure by default: every HTTP endpoint method (Wolverine's <c>[WolverineGet]</c>…) says who may call it, with
    /// <c>[Authorize(permission)]</c> or <c>[AllowAnonymous]</c> on the method or its class. The host refuses to start
    /// otherwise too; this catches it at build time.
    /// </summary>
    public static IReadOnlyList<string> EndpointsDeclareWhoMayCallThem(TypeSet internals) =>
        internals.Loaded()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => (Type: t, Method: m)))
            .Where(e => e.Method.GetCustomAttributes<Wolverine.Http.WolverineHttpMethodAttribute>().Any())
            .Where(e => !Declares(e.Method) && !Declares(e.Type))
            .Select(e => $"{e.Type.FullName}.{e.Method.Name}")
            .ToList();

    private static bool Declares(MemberInfo member) =>
        member.GetCustomAttributes<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>().Any()
        || member.GetCustomAttributes<Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute>().Any();

    private static bool IsBaseLibrary(AssemblyName assembly) =>
        assembly.Name is "netstandard" or "mscorlib" || assembly.Name!.StartsWith("System.", StringComparison.Ordinal);

    private static IEnumerable<string> Failing(TestResult result) =>
        result.IsSuccessful ? [] : result.FailingTypeNames ?? ["(unnamed type)"];

    private sealed class ImmutableSealedRecord : ICustomRule
    {
        public bool MeetsRule(TypeDefinition type) => type.IsSealed && ImmutableRecordOrEnum.IsImmutableRecord(type);
    }

    private sealed class ImmutableRecordOrEnum : ICustomRule
    {
        public bool MeetsRule(TypeDefinition type) => type.IsEnum || IsImmutableRecord(type) || IsCompilerGenerated(type);

        internal static bool IsImmutableRecord(TypeDefinition type) =>
            type.Methods.Any(m => m.Name == "<Clone>$")
            && type.Properties.All(p => p.SetMethod is null || IsInitOnly(p.SetMethod))
            && type.Fields.All(f => f.IsStatic || f.IsInitOnly);

        private static bool IsInitOnly(MethodDefinition setter) =>
            setter.ReturnType is RequiredModifierType { ModifierType.FullName: "System.Runtime.CompilerServices.IsExternalInit" };

        private static bool IsCompilerGenerated(TypeDefinition type) =>
            type.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
    }
}
