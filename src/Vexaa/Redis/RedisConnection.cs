using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Vexaa.Redis;

/// <summary>
/// The optional Redis connection. It never blocks or fails the service: when Redis is not configured, or down, callers
/// see <see cref="Database"/> as null and fall back (slower wake-ups, per-process rate limits, no cache), and the
/// multiplexer keeps reconnecting in the background.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private ConnectionMultiplexer? _multiplexer;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Configuration);

    public ConnectionMultiplexer? Multiplexer => _multiplexer;

    /// <summary>The database when connected right now, else null.</summary>
    public IDatabase? Database => _multiplexer is { IsConnected: true } m ? m.GetDatabase() : null;

    public string Status => !IsConfigured ? "not configured" : _multiplexer is { IsConnected: true } ? "ok" : "unavailable (degraded: polling wake-ups, per-process rate limits, no cache)";

    public async Task ConnectAsync()
    {
        if (!IsConfigured || _multiplexer is not null)
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(options.Value.Configuration!);
        // Start even when Redis is down, and keep trying: Redis speeds VExAA up but is never required.
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        configuration.AsyncTimeout = 2000;
        configuration.ClientName = "vexaa";
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        _multiplexer.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection lost ({FailureType}); working without it until it returns", e.FailureType);
        _multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored");
        if (!_multiplexer.IsConnected)
        {
            logger.LogWarning("Redis is configured but not reachable; working without it until it is");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }
    }
}
