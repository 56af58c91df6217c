using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Vexaa.Media;

namespace Vexaa.Redis;

/// <summary>
/// Probe results by input content (SHA-256): the same bytes always probe the same, so a repeated upload skips ffprobe.
/// A miss, or Redis being away, just means probing again.
/// </summary>
public sealed class ProbeCache(RedisConnection redis, ILogger<ProbeCache> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public async Task<MediaInfo?> GetAsync(string? sha256)
    {
        if (sha256 is null || redis.Database is not { } db)
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
        if (sha256 is null || redis.Database is not { } db)
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
