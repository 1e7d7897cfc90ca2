using System.Net;
using System.Net.Sockets;

namespace Modular.Tests.Support;

/// <summary>Helpers for the servers the tests start themselves: a free loopback port, waiting until ready.</summary>
public static class Server
{
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
