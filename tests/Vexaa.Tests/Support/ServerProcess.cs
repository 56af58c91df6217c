using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Vexaa.Tests.Support;

/// <summary>
/// A real `vexaa serve` child process on a free loopback port with its own data folder, driven over real HTTP.
/// It can be stopped gracefully (SIGTERM), killed hard (SIGKILL) and started again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly int _workers;
    private readonly string _command;
    private Process? _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(string dataDirectory, Dictionary<string, string> environment, int workers, string command)
    {
        DataDirectory = dataDirectory;
        _environment = environment;
        _workers = workers;
        _command = command;
        Port = FreePort();
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public string AdminKey { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public int ProcessId => _process?.Id ?? 0;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server on a fresh data folder. Settings go in as environment variables (Vexaa__Section__Key).</summary>
    /// <param name="command"><c>serve</c> (API and workers) or <c>work</c> (workers only, health and metrics on its port).</param>
    public static async Task<ServerProcess> StartAsync(int workers = 2, Dictionary<string, string>? settings = null, string? dataDirectory = null, string command = "serve")
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "vexaa-server-" + Guid.NewGuid().ToString("N")[..10]);
        var environment = new Dictionary<string, string>
        {
            // Short intervals so tests see retries, expiry and lease recovery within seconds.
            ["Vexaa__Workers__PollSeconds"] = "0.2",
            ["Vexaa__Workers__LeaseSeconds"] = "6",
            ["Vexaa__Workers__RetryBaseSeconds"] = "0.2",
            ["Vexaa__Workers__ShutdownGraceSeconds"] = "10",
            ["Vexaa__Retention__JanitorSeconds"] = "0.5",
            // Most tests check that a finished job leaves nothing behind; those about converting again keep inputs (24 h).
            ["Vexaa__Retention__InputHours"] = "0",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (k, v) in settings ?? [])
        {
            environment[k] = v;
        }

        var server = new ServerProcess(data, environment, workers, command);
        await server.LaunchAsync();
        return server;
    }

    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var urls = _command == "work" ? "--health-urls" : "--urls";
        foreach (var a in new[] { Proc.VexaaDll, _command, "--data", DataDirectory, urls, BaseAddress.ToString().TrimEnd('/'), "--workers", _workers.ToString() })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in _environment)
        {
            info.Environment[k] = v;
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server did not start:\n{Output}");
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (line.Contains("API key:", StringComparison.Ordinal) && AdminKey.Length == 0)
            {
                AdminKey = line.Split(':', 2)[1].Trim();
            }

            if (line.Contains("password:", StringComparison.Ordinal) && AdminPassword.Length == 0)
            {
                AdminPassword = line.Split(':', 2)[1].Trim();
            }
        }
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>`vexaa keys create --user NAME` on this server's data: a new user (if needed) and their key.</summary>
    public async Task<string> CreateUserKeyAsync(string user)
    {
        var r = await Proc.VexaaAsync(["keys", "create", "--user", user, "--data", DataDirectory]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout.Trim();
    }

    /// <summary>Runs a <c>vexaa</c> command on this server's data folder (appends <c>--data</c>).</summary>
    public Task<Proc.Result> RunCliAsync(params string[] args) => Proc.VexaaAsync([.. args, "--data", DataDirectory], env: _environment);

    /// <summary>SIGTERM, then wait: a graceful stop.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            await Proc.RunAsync("kill", ["-TERM", p.Id.ToString()]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(wait.Token);
        }
    }

    /// <summary>SIGKILL the server process alone, as a crash or an OOM kill would: no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            await Proc.RunAsync("kill", ["-KILL", p.Id.ToString()]);
            await p.WaitForExitAsync();
        }
    }

    public Task RestartAsync() => LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Another server sharing the folder may still be writing; the temp folder is cleaned by the OS eventually.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
