using System.Net;
using System.Net.Sockets;

namespace Modular.Tests.Support;

/// <summary>Helpers for the servers the tests start themselves: a free loopback port, waiting until ready.</summary>
public static class Server
{
    /// <summary>
    /// A loopback port nothing listens on, for a server started next. Taken below the kernel's ephemeral range
    /// (32768-60999): a port the kernel handed out would be free now, yet any process's next outgoing connection
    /// may take it as its source port before the server binds it ("address already in use"). Never the same
    /// port twice in a test run.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            if (!HandedOut.TryAdd(port, 0)) continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use: try another
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 32000.");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// Polls <c>/health/ready</c> until it answers 2xx. A process has no tracked session to wait on, so start-up
    /// is polled against a deadline; <paramref name="gaveUp"/> says why it never became ready (its log).
    /// </summary>
    public static async Task WaitUntilReadyAsync(Uri baseUrl, TimeSpan timeout, Func<Task<string>> gaveUp, Func<string?>? exited = null)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (exited?.Invoke() is { } reason) throw new InvalidOperationException($"{reason}:\n{await gaveUp()}");
            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{baseUrl} was not ready after {timeout.TotalSeconds:0} s:\n{await gaveUp()}");
    }
}
