using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Security;

/// <summary>The permissions of the platform itself: the admin API every deployment serves.</summary>
public static class PlatformPermissions
{
    public const string Admin = "platform:admin";

    public static IReadOnlyList<Permission> All { get; } =
    [
        new(Admin, "Dead letters, pending messages, the module map, test doubles' settings.", Roles.Admin),
    ];
}
