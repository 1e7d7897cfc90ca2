using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Tests.EndToEnd.Topologies;
using Xunit.Abstractions;

namespace Modular.Tests.EndToEnd.Faults;

/// <summary>
/// Places orders through the gateway the way a well-behaved client does (an idempotency key per order; a 408, 502, 503,
/// 504 or a connection error is sent again with the same key after a pause), injects a fault once a share of them
/// is accepted, then judges from the outside, through the APIs only: every accepted order finished (Confirmed and
/// captured once), no order missing or twice, no dead letter, nothing left pending, no 500 ever.
/// </summary>
public sealed class OrderRun(Topology topology, ITestOutputHelper output) : IDisposable
{
    /// <summary>A few hundred orders, as many in flight as a busy shop front: sized to keep the suite ~5 minutes.</summary>
    public const int Orders = 200;

    public const int InFlight = 16;

    /// <summary>How long one order may take to be accepted, and all accepted ones to finish, after the fault.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private const decimal Price = 10m;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Internals = ["Exception", "Npgsql", "   at ", "SQL", "RabbitMQ.Client"];
    private readonly ShopClient _shop = new(topology);
    private readonly HttpClient _http = new(topology.OpenApiChecking()) { Timeout = TimeSpan.FromSeconds(60) }; // the gateway answers 504 after 30 s
    private readonly ConcurrentDictionary<string, Guid> _accepted = new(); // customer -> order
    private readonly ConcurrentQueue<string> _unexpected = new();
    private int _resent;
    private int _serverErrors;
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentQueue<TimeSpan> _acceptedAt = new();
    private readonly ConcurrentQueue<TimeSpan> _unavailableAt = new(); // each 502, 503 or 504 answered

    /// <summary>One line of the fault table (docs/reliability.md): what a client saw and what the system did.</summary>
    public sealed record Report(string Fault, string Topology, int Orders, int Accepted, int Finished, int Stuck, int Duplicated,
        int ServerErrors, int Resent, double RecoverySeconds)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"fault={Fault} topology={Topology} orders={Orders} accepted={Accepted} finished={Finished} stuck={Stuck} " +
            $"duplicated={Duplicated} http500={ServerErrors} resent={Resent} recovered_in_s={RecoverySeconds:0.0}");
    }

    private sealed record Created(Guid Id);

    private sealed record OrderPage(List<ShopClient.Order> Items, long TotalItems);

    /// <summary>How fast orders were accepted before, during and after the fault, and when the system answered 502/503/504.</summary>
    /// <param name="LongestUnavailableSeconds">The longest stretch of 502/503/504 answers, stretches apart by 3 s or more.</param>
    public sealed record Pace(double OrdersPerSecondBefore, double OrdersPerSecondDuring, double OrdersPerSecondAfter, int Unavailable,
        double UnavailableWindowSeconds, double LongestUnavailableSeconds)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"orders/s before={OrdersPerSecondBefore:0.0} during={OrdersPerSecondDuring:0.0} after={OrdersPerSecondAfter:0.0}; " +
            $"{Unavailable} answers 502/503/504 over {UnavailableWindowSeconds:0.0} s, the longest stretch {LongestUnavailableSeconds:0.0} s");
    }

    /// <summary>The pace of the last run (<see cref="RunAsync"/>).</summary>
    public Pace? LastPace { get; private set; }

    /// <summary>
    /// Places <paramref name="orders"/> orders, <paramref name="inFlight"/> at a time; once a third are accepted,
    /// runs <paramref name="inject"/> (which returns when the fault is over) while the rest keep coming. With
    /// <paramref name="untilFaultIsOver"/>, orders keep coming until it is (a move that takes longer than the orders), at
    /// most <paramref name="ordersPerSecond"/>. Without <paramref name="checkLedger"/>, an order's capture is judged by
    /// the Payments module's record alone (the simulated provider's ledger is kept by the process that charged).
    /// </summary>
    public async Task<Report> RunAsync(string fault, Func<Task> inject, int orders = Orders, int inFlight = InFlight,
        bool untilFaultIsOver = false, double? ordersPerSecond = null, bool checkLedger = true)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await _shop.SetSimulatorAsync();
        var product = await _shop.AddProductAsync($"FLT-{run}", Price);

        _clock.Restart();
        var clock = _clock;
        var faultStarted = TimeSpan.Zero;
        var faultOver = TimeSpan.Zero;
        Task? injected = null;
        var gate = new object();
        var next = -1;
        var placing = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < orders || (untilFaultIsOver && injected is not { IsCompleted: true });
                 i = Interlocked.Increment(ref next))
            {
                if (ordersPerSecond is { } rate && TimeSpan.FromSeconds(i / rate) - clock.Elapsed is { Ticks: > 0 } early) await Task.Delay(early);
                await PlaceAsync($"fault-{run}-{i:D4}", product);
                lock (gate)
                {
                    if (injected is null && _accepted.Count >= orders / 3)
                    {
                        faultStarted = clock.Elapsed;
                        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {_accepted.Count} accepted, injecting: {fault}");
                        injected = Task.Run(async () =>
                        {
                            await inject();
                            faultOver = clock.Elapsed;
                        });
                    }
                }
            }
        }).ToList();
        await Task.WhenAll(placing);
        Assert.NotNull(injected);
        await injected;
        var placed = Math.Max(orders, Volatile.Read(ref next) - inFlight + 1);
        var placingOver = clock.Elapsed;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: all {placed} placed, fault over; {_resent} resent");
        LastPace = PaceOf(faultStarted, faultOver, placingOver);
        output.WriteLine(LastPace.ToString());

        var finished = await WaitUntilFinishedAsync(checkLedger);
        var recovery = clock.Elapsed - faultStarted;
        var duplicated = await CountMissingOrTwiceAsync();
        var report = new Report(fault, topology.GetType().Name, placed, _accepted.Count, finished, _accepted.Count - finished, duplicated,
            _serverErrors, _resent, recovery.TotalSeconds);
        output.WriteLine(report.ToString());
        Record(report);

        if (!_unexpected.IsEmpty) WriteErrorsLogged();
        Assert.Empty(_unexpected);
        Assert.Equal(placed, report.Accepted);
        Assert.Equal(0, report.Stuck);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.ServerErrors);
        await AssertNothingLeftBehindAsync();
        return report;
    }

    private async Task PlaceAsync(string customer, Guid product)
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            TimeSpan pause;
            try
            {
                using var response = await _http.PostAsJsonAsync(new Uri(topology.GatewayUrl, "/api/ordering/orders"),
                    new { customerId = customer, idempotencyKey = key, lines = new[] { new { productId = product, quantity = 1 } } });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    _accepted[customer] = (await response.Content.ReadFromJsonAsync<Created>(Json))!.Id;
                    _acceptedAt.Enqueue(_clock.Elapsed);
                    return;
                }

                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode is 502 or 503 or 504) _unavailableAt.Enqueue(_clock.Elapsed);
                if (response.StatusCode == HttpStatusCode.InternalServerError) Interlocked.Increment(ref _serverErrors);
                if ((int)response.StatusCode is not (408 or 502 or 503 or 504))
                {
                    _unexpected.Enqueue($"{customer}: {(int)response.StatusCode} {body}");
                    return;
                }

                // An outage is explained without internals, and a 503 says when to come back.
                if (Internals.Any(word => body.Contains(word, StringComparison.Ordinal))
                    || (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null))
                    _unexpected.Enqueue($"{customer}: {(int)response.StatusCode} with {response.Headers.RetryAfter} {body}");

                pause = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(500);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                pause = TimeSpan.FromMilliseconds(500); // connection refused or cut, or no answer in time
            }

            if (DateTime.UtcNow + pause > deadline)
            {
                _unexpected.Enqueue($"{customer}: not accepted within {Patience.TotalSeconds:0} s");
                return;
            }

            Interlocked.Increment(ref _resent);
            await Task.Delay(pause);
        }
    }

    private Pace PaceOf(TimeSpan faultStarted, TimeSpan faultOver, TimeSpan placingOver)
    {
        var accepted = _acceptedAt.ToList();
        double Rate(TimeSpan from, TimeSpan to) =>
            to > from ? accepted.Count(t => t > from && t <= to) / (to - from).TotalSeconds : 0;
        var unavailable = _unavailableAt.Order().ToList();
        var longest = TimeSpan.Zero;
        for (int start = 0, end = 1; end <= unavailable.Count; end++)
        {
            if (end < unavailable.Count && unavailable[end] - unavailable[end - 1] < TimeSpan.FromSeconds(3)) continue;
            longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (unavailable[end - 1] - unavailable[start]).Ticks));
            start = end;
        }

        return new Pace(Rate(TimeSpan.Zero, faultStarted), Rate(faultStarted, faultOver), Rate(faultOver, placingOver), unavailable.Count,
            unavailable.Count == 0 ? 0 : (unavailable[^1] - unavailable[0]).TotalSeconds, longest.TotalSeconds);
    }

    /// <summary>Polls every accepted order until it is Confirmed with its payment captured once, or patience runs out.</summary>
    private async Task<int> WaitUntilFinishedAsync(bool checkLedger)
    {
        var pending = new ConcurrentDictionary<Guid, bool>(_accepted.Values.Select(id => KeyValuePair.Create(id, true)));
        var deadline = DateTime.UtcNow + Patience;
        while (!pending.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Parallel.ForEachAsync(pending.Keys.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            {
                if (await IsFinishedAsync(id, checkLedger)) pending.TryRemove(id, out var _);
            });
            if (!pending.IsEmpty) await Task.Delay(250);
        }

        foreach (var id in pending.Keys.Take(5))
            output.WriteLine($"stuck: order {id}: {await DescribeAsync(() => _shop.OrderAsync(id))}, payment " +
                             $"{await DescribeAsync(() => _shop.PaymentAsync(id))}");
        if (!pending.IsEmpty)
            foreach (var process in topology.Processes.Where(p => !p.HasExited))
                output.WriteLine($"{process.Name} {process.Url}: {await DescribeAsync(() => _shop.PendingAsync(process.Url))}");
        return _accepted.Count - pending.Count;
    }

    private async Task<bool> IsFinishedAsync(Guid id, bool checkLedger)
    {
        try
        {
            var order = await _shop.OrderAsync(id);
            if (order.Status != "Confirmed") return false;
            var payment = await _shop.PaymentAsync(id);
            if (payment is not { Status: "Captured", Amount: Price }) return false;
            if (!checkLedger) return true;
            var ledger = await _shop.LedgerAsync(id);
            return ledger.CapturedAmount == Price && !ledger.Refunded;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false; // a deployment still coming back: ask again
        }
    }

    private static async Task<string> DescribeAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return (await read())?.ToString() ?? "none";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return e.Message;
        }
    }

    /// <summary>Each customer ordered once: exactly that one order is listed for them, no phantom, no twin.</summary>
    private async Task<int> CountMissingOrTwiceAsync()
    {
        var wrong = 0;
        await Parallel.ForEachAsync(_accepted, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (entry, ct) =>
        {
            var page = await _http.GetFromJsonAsync<OrderPage>(
                new Uri(topology.GatewayUrl, $"/api/ordering/orders?customerId={entry.Key}"), Json, ct);
            if (page is not { TotalItems: 1 } || page.Items[0].Id != entry.Value) Interlocked.Increment(ref wrong);
        });
        return wrong;
    }

    /// <summary>Every running process: no dead letter, and eventually nothing waiting in its inbox, outbox or queues.</summary>
    private async Task AssertNothingLeftBehindAsync()
    {
        foreach (var process in topology.Processes.Where(p => !p.HasExited))
        {
            var letters = await _http.GetStringAsync(new Uri(process.Url, "/api/admin/dead-letters"));
            Assert.True(letters == "[]", $"{process.Name} has dead letters: {letters}");
            await _shop.WaitUntilDrainedAsync(process, Patience);
        }
    }

    /// <summary>What the processes logged about the requests that failed unexpectedly (a 500 names no cause).</summary>
    private void WriteErrorsLogged()
    {
        foreach (var process in topology.Processes)
        {
            var lines = process.Output.Split('\n');
            foreach (var at in lines.Select((line, i) => (line, i)).Where(l => l.line.Contains("Unhandled exception", StringComparison.Ordinal)).Take(3))
                output.WriteLine($"{process.Name}: {string.Join('\n', lines.Skip(at.i).Take(6))}");
        }
    }

    /// <summary>bench/faults.sh collects the reports of a run in the file <c>MODULAR_FAULT_REPORT</c> names.</summary>
    private static void Record(Report report)
    {
        if (Environment.GetEnvironmentVariable("MODULAR_FAULT_REPORT") is { Length: > 0 } file)
            File.AppendAllLines(file, [report.ToString()]);
    }

    public void Dispose()
    {
        _shop.Dispose();
        _http.Dispose();
    }
}
