using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vexaa.Data;

public static class DataServices
{
    /// <summary>The data folder, the database (and its migrations) and the retention settings every feature keeps to.</summary>
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        services.AddSettings<DataOptions>(DataOptions.Section, o => o.Problems());
        services.AddSettings<DatabaseOptions>(DatabaseOptions.Section, o => o.Problems());
        services.AddSettings<RetentionOptions>(RetentionOptions.Section, o => o.Problems());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => Database.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<IOptions<DataOptions>>().Value));
        services.AddSingleton<Migrator>();
        return services;
    }
}
