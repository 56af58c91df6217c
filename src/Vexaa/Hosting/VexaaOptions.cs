namespace Vexaa.Hosting;

/// <summary>
/// Every setting, bound from the <c>Vexaa</c> configuration section (appsettings.json, or environment variables such as
/// <c>Vexaa__Workers__Count</c>). <see cref="Problems"/> names each wrong setting by its full key.
/// </summary>
public sealed class VexaaOptions
{
    public const string Section = "Vexaa";

    /// <summary>Where the embedded database, stored files and temporary work live.</summary>
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public WorkerOptions Workers { get; set; } = new();
    public LimitOptions Limits { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public MetricsOptions Metrics { get; set; } = new();
    public RedisOptions Redis { get; set; } = new();
    public EventOptions Events { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        static IEnumerable<string> Range(string key, double value, double min, double max) =>
            value < min || value > max ? [$"{Section}:{key} must be between {min} and {max} (it is {value})."] : [];

        if (string.IsNullOrWhiteSpace(DataDirectory)) yield return $"{Section}:DataDirectory must name a folder.";
        if (Database.Provider is not ("sqlite" or "mysql")) yield return $"{Section}:Database:Provider must be sqlite or mysql (it is '{Database.Provider}').";
        if (Database.Provider == "mysql" && string.IsNullOrWhiteSpace(Database.ConnectionString)) yield return $"{Section}:Database:ConnectionString is required for mysql.";
        if (Storage.Provider is not ("local" or "s3")) yield return $"{Section}:Storage:Provider must be local or s3 (it is '{Storage.Provider}').";
        if (Storage.Provider == "s3")
        {
            foreach (var p in Storage.S3.Problems($"{Section}:Storage:S3", Limits.MaxUploadBytes)) yield return p;
        }

        foreach (var p in Range("Workers:Count", Workers.Count ?? 0, 0, 256)) yield return p;
        foreach (var p in Range("Workers:LeaseSeconds", Workers.LeaseSeconds, 5, 3600)) yield return p;
        foreach (var p in Range("Workers:MaxAttempts", Workers.MaxAttempts, 1, 100)) yield return p;
        foreach (var p in Range("Workers:ShutdownGraceSeconds", Workers.ShutdownGraceSeconds, 0, 3600)) yield return p;
        foreach (var p in Range("Workers:PollSeconds", Workers.PollSeconds, 0.05, 600)) yield return p;
        foreach (var p in Range("Workers:RetryBaseSeconds", Workers.RetryBaseSeconds, 0, 3600)) yield return p;
        foreach (var p in Range("Limits:MaxUploadBytes", Limits.MaxUploadBytes, 1, 1L << 50)) yield return p;
        foreach (var p in Range("Limits:MaxInputDurationSeconds", Limits.MaxInputDurationSeconds, 1, 7 * 86400)) yield return p;
        foreach (var p in Range("Limits:MaxOutputBytes", Limits.MaxOutputBytes, 1, 1L << 50)) yield return p;
        foreach (var p in Range("Limits:JobTimeoutSeconds", Limits.JobTimeoutSeconds, 1, 7 * 86400)) yield return p;
        foreach (var p in Range("Limits:RequestsPerMinute", Limits.RequestsPerMinute, 1, 1_000_000)) yield return p;
        foreach (var p in Range("Limits:MaxActiveJobsPerUser", Limits.MaxActiveJobsPerUser, 1, 1_000_000)) yield return p;
        foreach (var p in Range("Limits:QuotaBytesPerUser", Limits.QuotaBytesPerUser, 1, 1L << 50)) yield return p;
        foreach (var p in Range("Retention:ResultsHours", Retention.ResultsHours, 0.001, 24 * 3650)) yield return p;
        foreach (var p in Range("Retention:FailedInputHours", Retention.FailedInputHours, 0, 24 * 3650)) yield return p;
        foreach (var p in Range("Retention:InputHours", Retention.InputHours, 0, 24 * 3650)) yield return p;
        foreach (var p in Range("Retention:UploadHours", Retention.UploadHours, 0.001, 24 * 3650)) yield return p;
        foreach (var p in Range("Retention:JanitorSeconds", Retention.JanitorSeconds, 0.1, 86400)) yield return p;
        foreach (var p in Range("Events:PollSeconds", Events.PollSeconds, 0.1, 3600)) yield return p;
        foreach (var p in Range("Webhooks:MaxAttempts", Webhooks.MaxAttempts, 1, 50)) yield return p;
        foreach (var p in Range("Webhooks:TimeoutSeconds", Webhooks.TimeoutSeconds, 1, 300)) yield return p;
    }
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (embedded, one host) or <c>mysql</c> (MySQL 8 / MariaDB 10.6+, any number of hosts).</summary>
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }
}

public sealed class StorageOptions
{
    /// <summary><c>local</c> (a folder under the data directory) or <c>s3</c>.</summary>
    public string Provider { get; set; } = "local";
    public S3Options S3 { get; set; } = new();
}

public sealed class WorkerOptions
{
    /// <summary>In-process workers; null means one per core, 0 means this process only serves the API.</summary>
    public int? Count { get; set; }
    public double LeaseSeconds { get; set; } = 30;
    public int MaxAttempts { get; set; } = 3;
    public double ShutdownGraceSeconds { get; set; } = 25;
    public double PollSeconds { get; set; } = 2;
    public double RetryBaseSeconds { get; set; } = 5;

    public int EffectiveCount => Count ?? Environment.ProcessorCount;
}

public sealed class LimitOptions
{
    public long MaxUploadBytes { get; set; } = 8L << 30;
    public double MaxInputDurationSeconds { get; set; } = 12 * 3600;
    public long MaxOutputBytes { get; set; } = 4L << 30;
    public double JobTimeoutSeconds { get; set; } = 4 * 3600;
    public int RequestsPerMinute { get; set; } = 600;
    public int MaxActiveJobsPerUser { get; set; } = 100;
    public long QuotaBytesPerUser { get; set; } = 50L << 30;
}

public sealed class RetentionOptions
{
    public double ResultsHours { get; set; } = 24;

    /// <summary>How long a failed job keeps its input so it can be retried; successful and canceled jobs drop it at once.</summary>
    public double FailedInputHours { get; set; } = 24;

    /// <summary>How long a succeeded job keeps its input so it can be converted again with other settings (0: deleted at once).</summary>
    public double InputHours { get; set; } = 24;
    public double UploadHours { get; set; } = 24;
    public double JanitorSeconds { get; set; } = 60;
}

public sealed class EventOptions
{
    /// <summary>How often an event stream reads the database for changes no message told it about (other processes without Redis).</summary>
    public double PollSeconds { get; set; } = 2;
}

public sealed class RedisOptions
{
    /// <summary>A StackExchange.Redis configuration string (e.g. <c>redis:6379,password=...</c>); unset means no Redis.</summary>
    public string? Configuration { get; set; }
}

public sealed class MetricsOptions
{
    /// <summary>Serve /metrics without authentication (for a Prometheus inside a network policy); otherwise it needs an admin's key.</summary>
    public bool AllowAnonymous { get; set; }
}

public sealed class WebhookOptions
{
    /// <summary>Allow webhooks to private, loopback and link-local addresses (off: the server cannot be used to probe its own network).</summary>
    public bool AllowPrivateNetworks { get; set; }
    public int MaxAttempts { get; set; } = 6;
    public double TimeoutSeconds { get; set; } = 10;
    public double RetryBaseSeconds { get; set; } = 2;
}
