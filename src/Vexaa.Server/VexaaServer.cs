using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Auth;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Server.Account;
using Vexaa.Server.Admin;
using Vexaa.Server.Health;
using Vexaa.Server.Hosting;
using Vexaa.Server.Jobs;
using Vexaa.Server.Metrics;
using Vexaa.Server.OpenApi;
using Vexaa.Server.Uploads;
using Vexaa.Server.Web;

namespace Vexaa.Server;

/// <summary>The VExAA server: the web page and the HTTP API, with in-process workers.</summary>
public static class VexaaServer
{
    /// <summary>Where the server listens unless told otherwise: loopback only, so a first start exposes nothing.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Where a worker-only process answers health and metrics requests unless told otherwise.</summary>
    public const string DefaultWorkerUrls = "http://127.0.0.1:8081";

    /// <param name="settings">Settings from command-line flags; they override appsettings.json and the environment.</param>
    /// <param name="workerOnly">
    /// <c>vexaa work</c>: no API, only the workers, with /healthz, /readyz and /metrics for the orchestrator.
    /// </param>
    /// <param name="configureWebHost">For the in-process tests: swaps Kestrel for a TestServer; hosts leave it out.</param>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, bool workerOnly = false, Action<IWebHostBuilder>? configureWebHost = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        // Defaults go first, so appsettings.json, the environment and then the flags can each override them.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            // ASP.NET Core's log line per request would drown what VExAA says; its warnings still show.
            InitialData = new Dictionary<string, string?>
            {
                ["urls"] = workerOnly ? DefaultWorkerUrls : DefaultUrls,
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // Request bodies are limited per endpoint (uploads), not by Kestrel's 30 MB default.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);
        configureWebHost?.Invoke(builder.WebHost);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(
            (builder.Configuration.GetValue<double?>("Vexaa:Workers:ShutdownGraceSeconds") ?? new WorkersOptions().ShutdownGraceSeconds) + 10));
        builder.Services.AddVexaaCore(builder.Configuration);
        builder.Services.AddVexaaWorkers(deliverWebhooks: !workerOnly);
        builder.Services.AddVexaaApi(builder.Configuration);
        builder.Services.AddVexaaDataProtection(builder.Configuration);

        var app = builder.Build();
        app.UseTrustedForwardedHeaders(app.Services.GetRequiredService<IOptions<HttpOptions>>().Value);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        if (!workerOnly)
        {
            app.UseWebPage();
        }

        app.UseAuthentication();
        app.UseCsrfProtection();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealth();
        app.MapMetrics(app.Services.GetRequiredService<IOptions<Vexaa.Metrics.MetricsOptions>>().Value);
        if (workerOnly)
        {
            return app;
        }

        app.MapApiReference();
        app.MapJobs();
        app.MapUploads();
        app.MapUploadProbe();
        app.MapAccount();
        app.MapSession();
        app.MapAdmin();
        return app;
    }

    /// <summary>
    /// Prepares the data (migrations, first admin, leases left by a previous run) and serves until stopped.
    /// Returns the process exit code.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, TextWriter console, CancellationToken cancellationToken)
    {
        using var dataLock = await PrepareAsync(app, console, cancellationToken);
        await app.StartAsync(cancellationToken);
        var workers = app.Services.GetRequiredService<JobWorkers>().Count;
        foreach (var address in app.Urls)
        {
            await console.WriteLineAsync(app.Services.GetService<Microsoft.AspNetCore.Routing.EndpointDataSource>()?.Endpoints.Any(e => e.DisplayName?.Contains("/api/v1/jobs", StringComparison.Ordinal) == true) == true
                ? FirstStart.RunningLine(address, workers, FirstStart.InContainer)
                : $"VExAA worker running {workers} worker(s); health and metrics on {address}");
        }

        await app.WaitForShutdownAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>
    /// Everything before serving: settings checked, migrations, the first admin (printed to <paramref name="console"/>, or in a container written to a file),
    /// and with the embedded database its lock and the leases and scratch a previous run left. Dispose the result (the
    /// data folder's lock, or null) when the server has stopped.
    /// </summary>
    public static async Task<IDisposable?> PrepareAsync(WebApplication app, TextWriter console, CancellationToken cancellationToken)
    {
        VexaaSettings.ThrowIfInvalid(app.Services);
        var data = app.Services.GetRequiredService<IOptions<DataOptions>>().Value;
        var dataLock = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == "sqlite" ? DataDirectoryLock.Acquire(data.DataDirectory) : null;
        try
        {
            await app.Services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            if (await Bootstrap.EnsureAdminAsync(app.Services.GetRequiredService<UserAccounts>(), cancellationToken) is { } admin)
            {
                await FirstStart.ReportAsync(admin, data.DataDirectory, FirstStart.InContainer, console, app.Logger, cancellationToken);
            }

            if (dataLock is not null)
            {
                // This process owns the embedded database, so any lease still held belongs to a process that died.
                var expired = await app.Services.GetRequiredService<JobQueue>().ExpireAllLeasesAsync(cancellationToken);
                if (expired > 0)
                {
                    app.Logger.LogInformation("{Count} job(s) left running by a previous run will be picked up again", expired);
                }

                // What is in it, not the folder itself: it may be a disk of its own mounted there (a fast or small one).
                var scratch = new DirectoryInfo(data.Scratch());
                foreach (var entry in scratch.Exists ? scratch.EnumerateFileSystemInfos() : [])
                {
                    if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                    else entry.Delete();
                }
            }
        }
        catch
        {
            // A failed start must not keep the data folder locked for the next try in the same process.
            dataLock?.Dispose();
            throw;
        }

        return dataLock;
    }
}
