using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Metrics;

public static class MetricsServices
{
    public static IServiceCollection AddVexaaMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section);
        services.AddSingleton<VexaaMetrics>();
        return services;
    }
}
