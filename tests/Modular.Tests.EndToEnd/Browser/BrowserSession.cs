using Microsoft.Playwright;

namespace Modular.Tests.EndToEnd.Browser;

/// <summary>
/// A real headless Chromium driven by Playwright: Debian's <c>chromium</c> (make test installs it; Playwright's own
/// browser download is not used), a fresh profile per session (Playwright's own), and no background traffic to the outside world
/// (this machine's network is closed, and those connection attempts only slow the browser down).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ExecutableVariable = "MODULAR_CHROMIUM";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<BrowserSession> StartAsync()
    {
        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"No Chromium at {executable}: make test installs Debian's chromium package, or set {ExecutableVariable}.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return new BrowserSession(playwright, browser);
    }

    public async Task<IPage> OpenAsync(Uri url)
    {
        var page = await _browser.NewPageAsync();
        page.SetDefaultTimeout(60_000); // one patience for the page as for the API clients: the machine may be loaded
        await page.GotoAsync(url.AbsoluteUri);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
