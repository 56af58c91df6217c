using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Jobs;

public static class JobServices
{
    /// <summary>The queue, its events and the processor of one attempt; what every host that touches jobs needs.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSettings<WorkersOptions>(WorkersOptions.Section, o => o.Problems());
        services.AddSettings<LimitsOptions>(LimitsOptions.Section, o => o.Problems());
        services.AddSettings<EventsOptions>(EventsOptions.Section, o => o.Problems());
        services.AddSingleton<JobQueue>();
        services.AddSingleton<UserJobs>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<JobCancellations>();
        services.AddSingleton<JobProcessor>();
        // Started before the workers, so events and wake-ups cross processes from the first job on.
        services.AddHostedService<JobEventRelay>();
        return services;
    }

    /// <summary>The background services of a host that processes jobs: the workers, the janitor and its orphan sweep.</summary>
    public static IServiceCollection AddJobWorkers(this IServiceCollection services)
    {
        services.AddSingleton<JobWorkers>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorkers>());
        services.AddSingleton<OrphanSweep>();
        services.AddHostedService<Janitor>();
        return services;
    }
}
