using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Modular.Platform.Composition.Health;

namespace Modular.Tests.Unit.Platform;

/// <summary>A probe flood runs the readiness checks once per second, not once per probe.</summary>
public sealed class ReadinessReportsTests
{
    [Fact]
    public async Task probes_within_a_second_share_one_run_of_the_checks_and_the_next_second_runs_them_again()
    {
        var runs = 0;
        var services = new ServiceCollection().AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddHealthChecks()
            .AddCheck("counted", () => { Interlocked.Increment(ref runs); return HealthCheckResult.Healthy(); }, [HealthEndpoints.ReadyTag])
            .AddCheck("not-ready", () => throw new InvalidOperationException("only readiness checks run"));
        await using var provider = services.BuildServiceProvider();
        var clock = new ManualClock();
        var reports = new ReadinessReports(provider.GetRequiredService<HealthCheckService>(), clock);

        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(reports.GetAsync)));
        clock.Advance(TimeSpan.FromMilliseconds(900));
        await reports.GetAsync();

        Assert.Equal(1, runs);
        Assert.All(flood, report => Assert.Equal(HealthStatus.Healthy, report.Status));
        Assert.Equal(["counted"], flood[0].Entries.Keys);

        clock.Advance(TimeSpan.FromMilliseconds(200));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(reports.GetAsync)));
        Assert.Equal(2, runs);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
