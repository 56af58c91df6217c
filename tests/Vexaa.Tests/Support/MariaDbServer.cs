using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vexaa.Tests.Support;

/// <summary>
/// A private MariaDB server for the test run: its own data folder, socket and loopback port, started as a child
/// process (as root it must run as the mysql user) and stopped at the end. Each test gets a fresh database.
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    private const string Password = "vexaa-test-password";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vexaa-mariadb-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public int Port { get; private set; }
    private string Socket => Path.Combine(_dir, "mysqld.sock");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/mariadbd"))
        {
            throw new InvalidOperationException("MariaDB is not installed (apt-get install mariadb-server); scripts/install-deps.sh installs it.");
        }

        Directory.CreateDirectory(_dir);
        await Run("chown", "mysql:mysql", _dir);
        await Run("mariadb-install-db", "--user=mysql", $"--datadir={_dir}/data", "--auth-root-authentication-method=socket", "--skip-test-db");
        Port = FreePort();
        await StartAsync();
        await SqlAsync($"CREATE USER 'vexaa'@'127.0.0.1' IDENTIFIED BY '{Password}'; GRANT ALL ON *.* TO 'vexaa'@'127.0.0.1';");
    }

    /// <summary>Shuts the server down cleanly and starts it again on the same data, port and socket.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/> or <see cref="KillAsync"/>: same data, port and socket.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var info = new ProcessStartInfo("/usr/sbin/mariadbd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "--no-defaults", "--user=mysql", $"--datadir={_dir}/data", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
            $"--pid-file={_dir}/mysqld.pid", "--innodb-buffer-pool-size=64M", "--max-connections=500", "--skip-name-resolve",
            "--innodb-flush-log-at-trx-commit=2",
        })
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Proc.RunAsync("mariadb-admin", [$"--socket={Socket}", "-u", "root", "ping"])).ExitCode != 0)
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException("MariaDB did not start.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A new, empty database and a connection string for it.</summary>
    /// <summary>A new database, as the settings of a `vexaa serve` or `vexaa work` process that uses it.</summary>
    public async Task<Dictionary<string, string>> ServerSettingsAsync() => new()
    {
        ["Vexaa__Database__Provider"] = "mysql",
        ["Vexaa__Database__ConnectionString"] = await CreateDatabaseAsync(),
    };

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "vexaa_" + Guid.NewGuid().ToString("N")[..12];
        await SqlAsync($"CREATE DATABASE {name} CHARACTER SET utf8mb4;");
        return $"Server=127.0.0.1;Port={Port};User ID=vexaa;Password={Password};Database={name}";
    }

    public async Task SqlAsync(string sql) => await Run("mariadb", $"--socket={Socket}", "-u", "root", "-e", sql);

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Kills the server (SIGKILL), as a crash or a lost host would: no clean shutdown, connections just drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    /// <summary>Shuts the server down cleanly (its clients' connections are closed); the data stays for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            await Proc.RunAsync("mariadb-admin", [$"--socket={Socket}", "-u", "root", "shutdown"]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
    }

    private static async Task Run(string file, params string[] args)
    {
        var r = await Proc.RunAsync(file, args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {r.Stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbServer>, ICollectionFixture<TestMedia>
{
    public const string Name = "mariadb";
}
