using Dapper;
using Microsoft.AspNetCore.RateLimiting;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Storage;

namespace Vexaa.Server.Health;

/// <summary>Liveness (/healthz: the process answers) and readiness (/readyz: database, storage and workers usable).</summary>
public static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder routes)
    {
        // Probes must answer whoever asks, however often: no authentication, no rate limit.
        routes.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" })).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        routes.MapGet("/readyz", ReadyAsync).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
    }

    private static async Task<IResult> ReadyAsync(Database database, IFileStore store, JobWorkers workers, Vexaa.Redis.RedisConnection redis, Vexaa.Media.SandboxedTools tools, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var checks = new Dictionary<string, string>
        {
            ["database"] = await CheckAsync(async () =>
            {
                await using var connection = await database.OpenAsync(timeout.Token);
                await connection.ExecuteScalarAsync<long>("SELECT 1");
                return true;
            }),
            ["storage"] = await CheckAsync(() => store.IsHealthyAsync(timeout.Token)),
            ["workers"] = workers.Count == 0 ? "none (API only)" : workers.Running ? $"ok ({workers.Busy}/{workers.Count} busy)" : "not running",
            // Reported, never required: without Redis the service is slower, not broken.
            ["redis"] = redis.Status,
            // Which isolation ffmpeg runs under; reported, never required (limits-only is a supported mode).
            ["sandbox"] = await SandboxAsync(tools, timeout.Token),
        };
        var ready = checks["database"] == "ok" && checks["storage"] == "ok" && checks["workers"] != "not running";
        return ready
            ? TypedResults.Ok(new { status = "ready", checks })
            : TypedResults.Json(new { status = "not ready", checks }, statusCode: 503);
    }

    private static async Task<string> SandboxAsync(Vexaa.Media.SandboxedTools tools, CancellationToken cancellationToken)
    {
        try
        {
            return (tools.Sandbox ?? (await tools.GetAsync(cancellationToken)).Sandbox).Summary;
        }
        catch (Exception e) when (e is Vexaa.Media.MediaException or InvalidOperationException or OperationCanceledException)
        {
            return "unknown: " + e.Message;
        }
    }

    private static async Task<string> CheckAsync(Func<Task<bool>> check)
    {
        try
        {
            return await check() ? "ok" : "failing";
        }
        catch (Exception e)
        {
            return "failing: " + e.GetType().Name;
        }
    }
}
