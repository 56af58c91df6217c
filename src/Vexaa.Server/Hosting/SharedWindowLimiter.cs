using System.Threading.RateLimiting;
using StackExchange.Redis;
using Vexaa.Redis;

namespace Vexaa.Server.Hosting;

/// <summary>
/// A per-user fixed window counted in Redis, so the limit holds across every API replica: INCR on a key per user and
/// minute, which expires with its window. When Redis is not there the same limit is counted in this process only.
/// </summary>
internal sealed class SharedWindowLimiter(string user, int permitsPerMinute, RedisConnection redis, TimeProvider time) : RateLimiter
{
    private readonly FixedWindowRateLimiter _local = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = permitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    });

    public override TimeSpan? IdleDuration => _local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // ASP.NET Core tries the synchronous path first and stops there when it succeeds. With Redis connected, decline it,
    // so the request goes on to the asynchronous path that counts in Redis; without Redis, count here.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.Database is null ? _local.AttemptAcquire(permitCount) : new Lease(false, null);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.Database is { } db)
        {
            var now = time.GetUtcNow();
            var window = now.ToUnixTimeSeconds() / 60;
            var key = (RedisKey)$"vexaa:rl:{user}:{window}";
            try
            {
                var count = await db.StringIncrementAsync(key, permitCount);
                if (count == permitCount)
                {
                    await db.KeyExpireAsync(key, TimeSpan.FromSeconds(61));
                }

                // Also counted locally, so the fallback starts from a fair state if Redis goes away mid-window.
                _local.AttemptAcquire(permitCount).Dispose();
                return count <= permitsPerMinute
                    ? new Lease(true, null)
                    : new Lease(false, DateTimeOffset.FromUnixTimeSeconds((window + 1) * 60) - now);
            }
            catch (RedisException)
            {
                // Redis went away between the check and the call: count here instead.
            }
        }

        return await _local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
