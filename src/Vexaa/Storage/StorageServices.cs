using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;

namespace Vexaa.Storage;

public static class StorageServices
{
    /// <summary>The file store the settings name: a folder in the data directory, or an S3 bucket.</summary>
    /// <param name="maxUploadBytes">The largest upload the host accepts; S3's part size is checked against it.</param>
    public static IServiceCollection AddStorage(this IServiceCollection services, Func<IServiceProvider, long> maxUploadBytes)
    {
        services.AddSingleton<IValidateOptions<StorageOptions>>(sp => new StorageCheck(() => maxUploadBytes(sp)));
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IFileStore>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return settings.Provider == "s3"
                ? new S3FileStore(settings.S3, sp.GetRequiredService<ILogger<S3FileStore>>())
                : new LocalFileStore(Path.Combine(sp.GetRequiredService<IOptions<DataOptions>>().Value.DataDirectory, "files"));
        });
        return services;
    }

    private sealed class StorageCheck(Func<long> maxUploadBytes) : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            var problems = options.Problems(maxUploadBytes()).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
