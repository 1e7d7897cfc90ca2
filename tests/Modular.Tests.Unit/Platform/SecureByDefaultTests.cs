using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Modular.Platform.Composition.Modules;
using Modular.Platform.Composition.Security;

namespace Modular.Tests.Unit.Platform;

public sealed class SecureByDefaultTests
{
    [Fact]
    public async Task an_endpoint_that_names_neither_a_permission_nor_anonymous_stops_the_host_in_one_line()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/api/open", () => "x").AllowAnonymous();
        app.MapGet("/api/guarded", () => "x").RequireAuthorization("catalog:read");
        app.MapPost("/api/forgotten", () => "x");

        var refusal = Assert.Throws<ModularConfigurationException>(() => SecureByDefault.Verify(app));

        Assert.StartsWith("POST /api/forgotten says neither who may call it", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task endpoints_that_all_say_who_may_call_them_pass()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/api/open", () => Results.Ok()).AllowAnonymous();
        app.MapGet("/api/guarded", () => Results.Ok()).RequireAuthorization("catalog:read");

        SecureByDefault.Verify(app);
    }

    [Fact]
    public void a_role_grants_what_modules_declared_for_it_and_a_clients_own_scope_grants_a_permission_by_name()
    {
        var grants = new PermissionGrants([new Permission("catalog:write", "", Roles.Staff), new Permission("catalog:read", "", Roles.Customer)]);
        System.Security.Claims.ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
            new(new System.Security.Claims.ClaimsIdentity(claims.Select(c => new System.Security.Claims.Claim(c.Type, c.Value)), "test"));

        Assert.True(grants.Allows(User(("role", "staff")), "catalog:write"));
        Assert.False(grants.Allows(User(("role", "customer")), "catalog:write"));
        Assert.True(grants.Allows(User(("scope", "orders:x catalog:write")), "catalog:write"));
        Assert.True(grants.Allows(User(("sub", "billing"), ("client_id", "billing"), ("scope", "catalog:write")), "catalog:write"));
        Assert.True(grants.Allows(User(("sub", "billing"), ("azp", "billing"), ("scope", "catalog:write")), "catalog:write"));
        // A user's token: the scope is what the client asked for, not what the user may do.
        Assert.False(grants.Allows(User(("sub", "alice"), ("client_id", "shop-app"), ("scope", "catalog:write")), "catalog:write"));
        Assert.False(grants.Allows(User(("sub", "alice"), ("role", "customer"), ("scope", "catalog:write")), "catalog:write"));
        Assert.True(grants.Allows(User(("sub", "alice"), ("role", "staff"), ("scope", "openid")), "catalog:write"));
        Assert.False(grants.Allows(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity()), "catalog:read"));
    }
}
