using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.Sdk;

namespace Modular.Modules.Payments;

/// <summary>Payments' private Marten store: schema <c>payments</c>.</summary>
public interface IPaymentsStore : IDocumentStore;

/// <summary>Charges orders through a payment provider, records each payment, refunds cancelled ones.</summary>
public sealed class PaymentsModule : ModuleDefinition<IPaymentsStore>
{
    public const string SimulatorSection = "Payments:Simulator";

    public override string Name => "Payments";

    public override IReadOnlyList<Permission> Permissions { get; } =
    [
        new(PaymentsPermissions.Read, "Read one's own payments.", Roles.Customer, Roles.Staff),
        new(PaymentsPermissions.AnyonesPayments, "Read anyone's payments.", Roles.Staff),
        new(PaymentsPermissions.Simulator, "Read and change the simulated provider's rules and ledger.", Roles.Admin),
    ];

    protected override void ConfigureStore(StoreOptions options) =>
        options.Schema.For<Payment>().UseOptimisticConcurrency(true);

    protected override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // One simulator per process: it keeps the ledger that makes charges idempotent. Instances, not
        // factories: Wolverine's generated handlers take them without service location.
        var settings = new SimulatorSettings();
        configuration.GetSection(SimulatorSection).Bind(settings);
        var simulator = new SimulatedPaymentProvider(settings);
        services.AddSingleton(settings);
        services.AddSingleton(simulator);
        services.AddSingleton<IPaymentProvider>(simulator);
    }
}
