using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vexaa.Auth;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Metrics;
using Vexaa.Redis;
using Vexaa.Storage;
using Vexaa.Uploads;
using Vexaa.Webhooks;

namespace Vexaa.Server.Hosting;

/// <summary>
/// The composition root: the one place that knows every feature of the core library and registers each with its
/// own <c>AddXxx()</c>. The hosts (server, worker, CLI admin commands) call it; no feature refers to it.
/// </summary>
public static class CoreServices
{
    public static IServiceCollection AddVexaaCore(this IServiceCollection services, IConfiguration configuration)
    {
        // Options bind from the IConfiguration in the container; a bare ServiceCollection (the CLI) has none yet.
        services.TryAddSingleton(configuration);
        services.AddData();
        services.AddAuth();
        services.AddStorage(sp => sp.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxUploadBytes);
        services.AddRedis();
        services.AddVexaaMetrics();
        services.AddWebhooks();
        services.AddUploads();
        services.AddJobs();
        services.AddSettings<HttpOptions>(HttpOptions.Section, o => o.Problems());
        services.AddSettings<Media.SandboxOptions>(Media.SandboxOptions.Section, o => o.Problems());
        services.AddSingleton<Media.SandboxedTools>();
        return services;
    }

    /// <summary>The background services of a host that processes jobs.</summary>
    /// <param name="deliverWebhooks">
    /// False for <c>vexaa work</c>: worker pods are fenced off from the internet (they need only the database, Redis and
    /// storage), so webhooks are sent by the API processes, which reach the outside anyway.
    /// </param>
    public static IServiceCollection AddVexaaWorkers(this IServiceCollection services, bool deliverWebhooks = true)
    {
        services.AddJobWorkers();
        if (deliverWebhooks)
        {
            services.AddWebhookDelivery();
        }

        return services;
    }
}
