namespace Vexaa.Jobs;

/// <summary><c>Vexaa:Workers</c>: how many jobs this process runs at once, and how a claimed attempt is leased and retried.</summary>
public sealed class WorkersOptions
{
    public const string Section = Settings.Root + ":Workers";

    /// <summary>In-process workers; null means one per core, 0 means this process only serves the API.</summary>
    public int? Count { get; set; }
    public double LeaseSeconds { get; set; } = 30;
    public int MaxAttempts { get; set; } = 3;
    public double ShutdownGraceSeconds { get; set; } = 25;
    public double PollSeconds { get; set; } = 2;
    public double RetryBaseSeconds { get; set; } = 5;

    public int EffectiveCount => Count ?? Environment.ProcessorCount;

    public IEnumerable<string> Problems() =>
    [
        .. Settings.Range($"{Section}:Count", Count ?? 0, 0, 256),
        .. Settings.Range($"{Section}:LeaseSeconds", LeaseSeconds, 5, 3600),
        .. Settings.Range($"{Section}:MaxAttempts", MaxAttempts, 1, 100),
        .. Settings.Range($"{Section}:ShutdownGraceSeconds", ShutdownGraceSeconds, 0, 3600),
        .. Settings.Range($"{Section}:PollSeconds", PollSeconds, 0.05, 600),
        .. Settings.Range($"{Section}:RetryBaseSeconds", RetryBaseSeconds, 0, 3600),
    ];
}
