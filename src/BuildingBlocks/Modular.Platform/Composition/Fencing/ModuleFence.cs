using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.Fencing;

/// <summary>
/// Whether this process may serve each of its modules now (ADR 0029). A module is <em>fenced</em> while its data is not
/// current in the database this process reads it from: a data move has the old copy fenced for its final catch-up (and
/// for good once it moved), and the new copy until the catch-up is over. A fenced module's routes answer 503 with
/// <c>Retry-After</c> and its handlers put their message back for later (<see cref="ModuleFencedException"/>); nothing is
/// read or written. <see cref="ModuleFenceWatch"/> keeps the flags up to date from the module's database. Public only
/// because the generated handler code calls <see cref="Enter"/>.
/// </summary>
public sealed class ModuleFence
{
    private readonly Dictionary<string, Gate> _gates;

    public ModuleFence(ActiveModules modules) => _gates = modules.All.ToDictionary(m => m.Name, m => new Gate(m), StringComparer.Ordinal);

    internal IEnumerable<Gate> Gates => _gates.Values;

    internal Gate Of(ModuleDefinition module) => _gates[module.Name];

    /// <summary>
    /// Called by the generated code first thing in each of a module's handlers (hence public): counts the handler in
    /// flight until the ticket is disposed, or throws when the module is fenced, before anything was read.
    /// </summary>
    public static Ticket Enter(ModuleFence fence, string module) => fence._gates[module].Enter();

    /// <summary>A piece of work in flight in a module: a request or a handled message.</summary>
    public readonly struct Ticket(Gate gate) : IDisposable
    {
        public void Dispose() => gate.Exit();
    }

    /// <summary>One module's flag and the work in flight in it.</summary>
    public sealed class Gate(ModuleDefinition module)
    {
        private int _inFlight;

        // Fenced until the watch has read the module's database once: a process that starts on a copy still being filled
        // must not serve it, even for the first half second.
        private int _fenced = 1;

        public ModuleDefinition Module { get; } = module;

        public bool Fenced => Volatile.Read(ref _fenced) == 1;

        public int InFlight => Volatile.Read(ref _inFlight);

        internal Ticket Enter() => TryEnter(out var ticket) ? ticket : throw new ModuleFencedException(Module.Name);

        /// <summary>Counts the work in flight, unless the module is fenced.</summary>
        internal bool TryEnter(out Ticket ticket)
        {
            Interlocked.Increment(ref _inFlight);
            ticket = new Ticket(this);
            if (!Fenced) return true;
            Exit();
            return false;
        }

        internal void Exit() => Interlocked.Decrement(ref _inFlight);

        /// <summary>A full barrier (not a volatile write): the watch reads <see cref="InFlight"/> right after fencing, and
        /// <see cref="Enter"/> counts itself before it reads the flag, so one of the two always sees the other.</summary>
        internal void Set(bool fenced) => Interlocked.Exchange(ref _fenced, fenced ? 1 : 0);
    }

    /// <summary>The advisory lock every process serving <paramref name="module"/> holds shared in its database (ADR 0029).</summary>
    public static long LockKey(ModuleDefinition module) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"modular-fence:{module.Schema}")), 0);

    /// <summary>Readiness: a process whose every module is fenced has nothing to serve, so a load balancer takes it out.</summary>
    internal sealed class Readiness(ModuleFence fence) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var fenced = fence.Gates.Where(g => g.Fenced).Select(g => g.Module.Name).ToList();
            var description = fenced.Count == 0 ? null : $"fenced while its data moves: {string.Join(", ", fenced)}";
            return Task.FromResult(fenced.Count > 0 && fenced.Count == fence._gates.Count
                ? HealthCheckResult.Unhealthy(description)
                : HealthCheckResult.Healthy(description));
        }
    }
}

/// <summary>A fenced module's handler was asked to run: the message waits, durably, and is tried again (ADR 0029).</summary>
public sealed class ModuleFencedException(string module) : Exception($"Module {module} is fenced while its data moves.");
