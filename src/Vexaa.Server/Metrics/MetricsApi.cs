using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vexaa.Jobs;
using Vexaa.Metrics;
using Vexaa.Uploads;

namespace Vexaa.Server.Metrics;

/// <summary>GET /metrics in the Prometheus text format: queue depth, job outcomes and durations, ffmpeg speed, uploads, workers.</summary>
public static class MetricsApi
{
    public static void MapMetrics(this IEndpointRouteBuilder routes, MetricsOptions options)
    {
        var endpoint = routes.MapGet("/metrics", async (JobQueue queue, UploadStore uploads, JobWorkers workers, VexaaMetrics metrics, CancellationToken cancellationToken) =>
        {
            var text = metrics.Render(Counts(await queue.CountByStateAsync(cancellationToken)), await uploads.PendingCountAsync(cancellationToken), workers.Count, workers.Busy);
            return TypedResults.Text(text, "text/plain; version=0.0.4; charset=utf-8");
        }).DisableRateLimiting().ExcludeFromDescription();
        if (options.AllowAnonymous)
        {
            endpoint.AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization("admin");
        }
    }

    // Every state, zero included, so each series exists from the first scrape.
    private static IEnumerable<KeyValuePair<string, long>> Counts(IReadOnlyDictionary<string, long> byState) =>
        JobState.All.Select(s => KeyValuePair.Create(s, byState.GetValueOrDefault(s)));
}
