using System.Collections.Concurrent;

namespace Vexaa.Server.Account;

/// <summary>
/// Counts failed sign-ins per client address: after <see cref="MaxFailures"/> within <see cref="Window"/>, further attempts
/// from that address are refused until the window ends, so passwords cannot be guessed at speed.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Start)> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        if (!_failures.TryGetValue(client, out var entry))
        {
            return null;
        }

        var left = entry.Start + Window - time.GetUtcNow();
        return left <= TimeSpan.Zero ? null : entry.Failures >= MaxFailures ? left : null;
    }

    public void Failed(string client)
    {
        var now = time.GetUtcNow();
        if (_failures.Count > 10_000)
        {
            // Bounded memory: forget windows that are over.
            foreach (var (key, value) in _failures)
            {
                if (value.Start + Window <= now)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        _failures.AddOrUpdate(client, _ => (1, now), (_, e) => e.Start + Window <= now ? (1, now) : (e.Failures + 1, e.Start));
    }
}
