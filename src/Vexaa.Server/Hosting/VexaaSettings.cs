using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Metrics;
using Vexaa.Redis;
using Vexaa.Storage;
using Vexaa.Webhooks;

namespace Vexaa.Server.Hosting;

/// <summary>One feature's settings: the configuration section it binds, its type, and how to read it (validated) from a container.</summary>
public sealed record SettingsSection(string Path, Type Type, Func<IServiceProvider, object> Read);

/// <summary>Every settings type the core binds, so a host can check them all at once and tests can list every key.</summary>
public static class VexaaSettings
{
    public static IReadOnlyList<SettingsSection> Sections { get; } =
    [
        Of<DataOptions>(DataOptions.Section),
        Of<DatabaseOptions>(DatabaseOptions.Section),
        Of<StorageOptions>(StorageOptions.Section),
        Of<WorkersOptions>(WorkersOptions.Section),
        Of<LimitsOptions>(LimitsOptions.Section),
        Of<RetentionOptions>(RetentionOptions.Section),
        Of<EventsOptions>(EventsOptions.Section),
        Of<WebhooksOptions>(WebhooksOptions.Section),
        Of<MetricsOptions>(MetricsOptions.Section),
        Of<RedisOptions>(RedisOptions.Section),
        Of<HttpOptions>(HttpOptions.Section),
        Of<Media.SandboxOptions>(Media.SandboxOptions.Section),
    ];

    /// <summary>
    /// Reads every section, and throws one <see cref="OptionsValidationException"/> naming every wrong setting (rather
    /// than stopping at the first feature whose settings are wrong).
    /// </summary>
    public static void ThrowIfInvalid(IServiceProvider services)
    {
        var failures = new List<string>();
        foreach (var section in Sections)
        {
            try
            {
                section.Read(services);
            }
            catch (OptionsValidationException e)
            {
                failures.AddRange(e.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Settings.Root, typeof(VexaaSettings), failures);
        }
    }

    private static SettingsSection Of<T>(string path) where T : class =>
        new(path, typeof(T), sp => sp.GetRequiredService<IOptions<T>>().Value);
}
