using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Vexaa.Media;

namespace Vexaa.Redis;

/// <summary>
/// Probe results by input content (SHA-256): the same bytes always probe the same, so a repeated upload skips ffprobe.
/// This process keeps the most recent ones itself (so a job probed when it was submitted, or converted again, is not
/// probed a second time even without Redis), and Redis shares them between processes. A miss just means probing again.
/// </summary>
public sealed class ProbeCache(RedisConnection redis, TimeProvider time, ILogger<ProbeCache> logger)
{
    /// <summary>How many results this process keeps; the oldest goes first.</summary>
    internal const int LocalCapacity = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, (MediaInfo Media, DateTimeOffset Expires)> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public async Task<MediaInfo?> GetAsync(string? sha256)
    {
        if (sha256 is null)
        {
            return null;
        }

        if (_local.TryGetValue(sha256, out var kept) && kept.Expires > time.GetUtcNow())
        {
            return kept.Media;
        }

        if (redis.Database is not { } db)
        {
            return null;
        }

        try
        {
            var value = await db.StringGetAsync(Key(sha256));
            return value.HasValue ? JsonSerializer.Deserialize<MediaInfo>((string)value!, Json) : null;
        }
        catch (Exception e) when (e is RedisException or JsonException)
        {
            logger.LogDebug(e, "Probe cache read failed");
            return null;
        }
    }

    public async Task SetAsync(string? sha256, MediaInfo media)
    {
        if (sha256 is null)
        {
            return;
        }

        if (_local.TryAdd(sha256, (media, time.GetUtcNow() + Lifetime)))
        {
            _order.Enqueue(sha256);
            while (_local.Count > LocalCapacity && _order.TryDequeue(out var oldest))
            {
                _local.TryRemove(oldest, out _);
            }
        }
        else
        {
            _local[sha256] = (media, time.GetUtcNow() + Lifetime);
        }

        if (redis.Database is not { } db)
        {
            return;
        }

        try
        {
            await db.StringSetAsync(Key(sha256), JsonSerializer.Serialize(media, Json), Lifetime);
        }
        catch (RedisException e)
        {
            logger.LogDebug(e, "Probe cache write failed");
        }
    }

    private static RedisKey Key(string sha256) => "vexaa:probe:" + sha256;
}
