using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Vexaa.Server;

namespace Vexaa.Tests.Support;

/// <summary>
/// The real server (<see cref="VexaaServer.Build"/> and <see cref="VexaaServer.PrepareAsync"/>, as <c>vexaa serve</c>
/// runs them) on a TestServer instead of Kestrel: no process, no port, no workers. For HTTP-contract tests only; anything
/// about signals, restarts or running jobs belongs to <see cref="ServerProcess"/>. Each test builds its own, on its own
/// temporary data folder.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly TempDir _data = new();
    private WebApplication _app = null!;
    private IDisposable? _dataLock;

    private InProcessServer()
    {
    }

    public string AdminKey { get; private set; } = "";

    public static async Task<InProcessServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new InProcessServer();
        var settings = new Dictionary<string, string?>
        {
            ["Vexaa:DataDirectory"] = server._data.Path,
            ["Vexaa:Workers:Count"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        server._app = VexaaServer.Build(settings, configureWebHost: w => w.UseTestServer());
        using var console = new StringWriter();
        server._dataLock = await VexaaServer.PrepareAsync(server._app, console, cancellationToken);
        server.AdminKey = console.ToString().Split('\n').Single(l => l.Contains("API key:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        await server._app.StartAsync(cancellationToken);
        return server;
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = _app.GetTestClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dataLock?.Dispose();
        _data.Dispose();
    }
}
