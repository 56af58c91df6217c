using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Uploads;

public static class UploadServices
{
    /// <summary>Resumable (tus) uploads: their rows and stored chunks.</summary>
    public static IServiceCollection AddUploads(this IServiceCollection services) => services.AddSingleton<UploadStore>();
}
