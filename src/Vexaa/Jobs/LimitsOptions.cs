namespace Vexaa.Jobs;

/// <summary><c>Vexaa:Limits</c>: what one job, one upload and one user may use.</summary>
public sealed class LimitsOptions
{
    public const string Section = Settings.Root + ":Limits";

    public long MaxUploadBytes { get; set; } = 8L << 30;
    public double MaxInputDurationSeconds { get; set; } = 12 * 3600;
    public long MaxOutputBytes { get; set; } = 4L << 30;
    public double JobTimeoutSeconds { get; set; } = 4 * 3600;
    public int RequestsPerMinute { get; set; } = 600;
    public int MaxActiveJobsPerUser { get; set; } = 100;
    public long QuotaBytesPerUser { get; set; } = 50L << 30;

    /// <summary>The most output files (tracks) one job may make; each normalised track costs ffmpeg about 19 MB.</summary>
    public int MaxOutputsPerJob { get; set; } = 16;

    /// <summary>The most inputs one join job may take; each is decoded in the same ffmpeg run (about 5 MB each).</summary>
    public int MaxInputsPerJob { get; set; } = 20;

    public IEnumerable<string> Problems() =>
    [
        .. Settings.Range($"{Section}:MaxUploadBytes", MaxUploadBytes, 1, 1L << 50),
        .. Settings.Range($"{Section}:MaxInputDurationSeconds", MaxInputDurationSeconds, 1, 7 * 86400),
        .. Settings.Range($"{Section}:MaxOutputBytes", MaxOutputBytes, 1, 1L << 50),
        .. Settings.Range($"{Section}:JobTimeoutSeconds", JobTimeoutSeconds, 1, 7 * 86400),
        .. Settings.Range($"{Section}:RequestsPerMinute", RequestsPerMinute, 1, 1_000_000),
        .. Settings.Range($"{Section}:MaxActiveJobsPerUser", MaxActiveJobsPerUser, 1, 1_000_000),
        .. Settings.Range($"{Section}:QuotaBytesPerUser", QuotaBytesPerUser, 1, 1L << 50),
        .. Settings.Range($"{Section}:MaxOutputsPerJob", MaxOutputsPerJob, 1, 1000),
        .. Settings.Range($"{Section}:MaxInputsPerJob", MaxInputsPerJob, 2, 1000),
    ];
}
