using Microsoft.Extensions.Configuration;
using Modular.BuildingBlocks.Distribution.Topology;

namespace Modular.Tests.Unit.BuildingBlocks;

public sealed class TransportSwitchTests
{
    [Theory]
    [InlineData(null, null, 16)]
    [InlineData("4", null, 4)]
    [InlineData(null, "8", 8)] // the older key, still read
    [InlineData("4", "8", 4)] // the new one wins
    public void one_parallelism_setting_for_every_queue(string? parallelism, string? older, int expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TransportSwitch.ParallelismKey] = parallelism,
            ["Modular:LocalQueueParallelism"] = older,
        }).Build();

        Assert.Equal(expected, TransportSwitch.Parallelism(configuration));
    }
}
