namespace Vexaa;

/// <summary>Times as the database stores them: Unix milliseconds.</summary>
public static class UnixTime
{
    public static long NowMs(this TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static long Ms(this TimeSpan span) => (long)span.TotalMilliseconds;
}
