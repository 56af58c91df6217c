using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Auth;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Storage;
using Vexaa.Uploads;
using Vexaa.Webhooks;

namespace Vexaa.Hosting;

/// <summary>Registers what every VExAA host shares: settings, database, storage, the queue and its workers.</summary>
public static class VexaaServices
{
    public static IServiceCollection AddVexaaCore(this IServiceCollection services, IConfiguration configuration)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddOptions<VexaaOptions>().Bind(configuration.GetSection(VexaaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VexaaOptions>, ValidateSettings>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateDatabase(sp.GetRequiredService<IOptions<VexaaOptions>>().Value));
        services.AddSingleton<Migrator>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<JobCancellations>();
        services.AddSingleton<JobProcessor>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<Metrics.VexaaMetrics>();
        services.AddSingleton<Redis.RedisConnection>();
        services.AddSingleton<Redis.ProbeCache>();
        services.AddSingleton<SandboxedTools>();
        // Started first, so events and wake-ups cross processes from the first job on.
        services.AddHostedService<Redis.RedisRelay>();
        services.AddSingleton<IFileStore>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<VexaaOptions>>().Value;
            return settings.Storage.Provider == "s3"
                ? new S3FileStore(settings.Storage.S3, sp.GetRequiredService<ILogger<S3FileStore>>())
                : new LocalFileStore(Path.Combine(settings.DataDirectory, "files"));
        });
        return services;
    }

    /// <summary>The background services of a host that processes jobs.</summary>
    /// <param name="deliverWebhooks">
    /// False for <c>vexaa work</c>: worker pods are fenced off from the internet (they need only the database, Redis and
    /// storage), so webhooks are sent by the API processes, which reach the outside anyway.
    /// </param>
    public static IServiceCollection AddVexaaWorkers(this IServiceCollection services, bool deliverWebhooks = true)
    {
        services.AddSingleton<JobWorkers>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorkers>());
        services.AddSingleton<OrphanSweep>();
        services.AddHostedService<Janitor>();
        if (deliverWebhooks)
        {
            services.AddHostedService<WebhookDispatcher>();
        }

        return services;
    }

    public static Database CreateDatabase(VexaaOptions options) => options.Database.Provider switch
    {
        "sqlite" => Database.Sqlite(Path.GetFullPath(options.DataDirectory)),
        _ => Database.MySql(options.Database.ConnectionString!),
    };

    private sealed class ValidateSettings : IValidateOptions<VexaaOptions>
    {
        public ValidateOptionsResult Validate(string? name, VexaaOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
