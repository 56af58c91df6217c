namespace Vexaa.Redis;

/// <summary><c>Vexaa:Redis</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = Settings.Root + ":Redis";

    /// <summary>A StackExchange.Redis configuration string (e.g. <c>redis:6379,password=...</c>); unset means no Redis.</summary>
    public string? Configuration { get; set; }
}
