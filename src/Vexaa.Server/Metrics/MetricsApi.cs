using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vexaa.Hosting;
using Vexaa.Jobs;
using Vexaa.Metrics;
using Vexaa.Uploads;

namespace Vexaa.Server.Metrics;

/// <summary>GET /metrics in the Prometheus text format: queue depth, job outcomes and durations, ffmpeg speed, uploads, workers.</summary>
public static class MetricsApi
{
    public static void MapMetrics(this IEndpointRouteBuilder routes, VexaaOptions options)
    {
        var endpoint = routes.MapGet("/metrics", async (JobQueue queue, UploadStore uploads, JobWorkers workers, VexaaMetrics metrics, CancellationToken cancellationToken) =>
        {
            var text = metrics.Render(await queue.CountByStateAsync(cancellationToken), await uploads.PendingCountAsync(cancellationToken), workers.Count, workers.Busy);
            return TypedResults.Text(text, "text/plain; version=0.0.4; charset=utf-8");
        }).DisableRateLimiting().ExcludeFromDescription();
        if (options.Metrics.AllowAnonymous)
        {
            endpoint.AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization("admin");
        }
    }
}
