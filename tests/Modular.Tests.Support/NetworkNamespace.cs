using System.Globalization;

namespace Modular.Tests.Support;

/// <summary>
/// A network namespace of the test's own (iproute2; needs root, as CI has): processes started in it reach the
/// rest of the machine only over veth pairs the test made, one pair per kind of traffic, so the test can cut one
/// of them (<c>ip link set … down</c>) and leave the others up. Addresses are /30 subnets of 10.251.0.0/16 that
/// exist only on these links; nothing leaves the machine. Creating it fails loudly where namespaces cannot be
/// made: a network fault test never skips.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    /// <summary>One veth pair: the address on the machine's side and the one inside the namespace.</summary>
    public sealed record Link(string Purpose, string HostInterface, string HostAddress, string InnerAddress);

    private readonly List<Link> _links = [];

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>What runs a command inside the namespace: <c>ip netns exec NAME command…</c>.</summary>
    public IReadOnlyList<string> ExecPrefix => ["ip", "netns", "exec", Name];

    public Link this[string purpose] => _links.Single(l => l.Purpose == purpose);

    /// <summary>Creates the namespace with loopback up and one link per purpose (e.g. "http", "broker", "database").</summary>
    public static async Task<NetworkNamespace> CreateAsync(params string[] purposes)
    {
        var tag = Random.Shared.Next(0x1000, 0xFFFF).ToString("x4", CultureInfo.InvariantCulture);
        var subnet = Random.Shared.Next(0, 256);
        var space = new NetworkNamespace($"modular-{tag}");
        await Ip("netns", "add", space.Name);
        try
        {
            await Ip("-n", space.Name, "link", "set", "lo", "up");
            for (var i = 0; i < purposes.Length; i++)
            {
                var link = new Link(purposes[i], $"mx{tag}h{i}", $"10.251.{subnet}.{(4 * i) + 1}", $"10.251.{subnet}.{(4 * i) + 2}");
                var inner = $"mx{tag}n{i}";
                await Ip("link", "add", link.HostInterface, "type", "veth", "peer", "name", inner);
                await Ip("link", "set", inner, "netns", space.Name);
                await Ip("addr", "add", $"{link.HostAddress}/30", "dev", link.HostInterface);
                await Ip("link", "set", link.HostInterface, "up");
                await Ip("-n", space.Name, "addr", "add", $"{link.InnerAddress}/30", "dev", inner);
                await Ip("-n", space.Name, "link", "set", inner, "up");
                space._links.Add(link);
            }
        }
        catch
        {
            await space.DisposeAsync();
            throw;
        }

        return space;
    }

    /// <summary>Takes the link down: packets both ways are lost, as when a cable or a switch port fails.</summary>
    public Task CutAsync(string purpose) => Ip("link", "set", this[purpose].HostInterface, "down");

    public Task RestoreAsync(string purpose) => Ip("link", "set", this[purpose].HostInterface, "up");

    public async ValueTask DisposeAsync()
    {
        // Deleting the namespace removes its veth ends, and with them their peers on the machine's side.
        await Tool.RunAsync("ip", ["netns", "delete", Name]);
        foreach (var link in _links) await Tool.RunAsync("ip", ["link", "delete", link.HostInterface]);
    }

    private static async Task Ip(params string[] arguments) =>
        (await Tool.RunAsync("ip", arguments)).EnsureSuccess($"ip {string.Join(' ', arguments)} (network fault tests need root and iproute2)");
}
