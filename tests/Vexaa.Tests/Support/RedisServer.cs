using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vexaa.Tests.Support;

/// <summary>A private redis-server on a free loopback port, which tests can stop and start again.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort();
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server); scripts/install-deps.sh --tests installs it.");
        }

        var info = new ProcessStartInfo("/usr/bin/redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Proc.RunAsync("redis-cli", ["-p", Port.ToString(), "ping"])).Stdout.Trim() != "PONG")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("redis-server did not start.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: Redis vanishes as it would in a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    public async Task<string> CliAsync(params string[] args) => (await Proc.RunAsync("redis-cli", ["-p", Port.ToString(), .. args])).Stdout.Trim();

    public async ValueTask DisposeAsync() => await KillAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
