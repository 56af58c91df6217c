using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Redis;

public static class RedisServices
{
    /// <summary>The optional Redis connection and what uses it directly (the probe cache).</summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<ProbeCache>();
        return services;
    }
}
