using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>
/// A test with a server of its own (one worker, nothing from other tests) and a Chromium pointed at it, both gone when
/// the test ends.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    protected ServerProcess Server { get; private set; } = null!;

    protected Browser Page { get; private set; } = null!;

    /// <summary>Settings for this class's server, beyond the tests' defaults.</summary>
    protected virtual Dictionary<string, string>? ServerSettings => null;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(workers: 1, ServerSettings);
        Page = Browser.Start(Server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Page.Dispose();
        await Server.DisposeAsync();
    }
}
