namespace Vexaa.Jobs;

/// <summary>Where a job is in its life.</summary>
public static class JobState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static readonly string[] All = [Queued, Running, Succeeded, Failed, Canceled];

    public static bool IsFinished(string state) => state is Succeeded or Failed or Canceled;
}

/// <summary>What a running job is doing, as progress reports and the API name it.</summary>
public static class JobPhase
{
    /// <summary>Claimed: fetching and reading the input before ffmpeg starts.</summary>
    public const string Preparing = "preparing";
    public const string MeasuringLoudness = "measuring-loudness";
    public const string Encoding = "encoding";
    public const string Storing = "storing";

    public static readonly string[] All = [Preparing, MeasuringLoudness, Encoding, Storing];
}

/// <summary>A job row.</summary>
public sealed record Job
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string State { get; init; }
    public required string OptionsJson { get; init; }
    public string? InputKey { get; init; }
    public required string InputName { get; init; }
    public long InputSize { get; init; }
    public string? InputSha256 { get; init; }
    public string? ProbeJson { get; init; }
    public double Progress { get; init; }
    public long? EtaMs { get; init; }

    /// <summary>While running: what it is doing (<see cref="JobPhase"/>).</summary>
    public string? Phase { get; init; }
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public long RunAfter { get; init; }
    public string? LeaseOwner { get; init; }
    public long LeaseToken { get; init; }
    public long? LeaseExpiresAt { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? ResultsJson { get; init; }
    public long ResultsSize { get; init; }
    public string? WebhookUrl { get; init; }
    public string? IdempotencyKey { get; init; }
    public long CreatedAt { get; init; }
    public long? StartedAt { get; init; }
    public long? FinishedAt { get; init; }
    public long? ExpiresAt { get; init; }

    /// <summary>When a succeeded job's kept input is deleted (null: it is not kept past the job's end).</summary>
    public long? InputExpiresAt { get; init; }
    public long UpdatedAt { get; init; }
}

/// <summary>One file a job produced, as stored in <see cref="Job.ResultsJson"/>.</summary>
public sealed record JobResultFile(
    int Index,
    string Key,
    string FileName,
    string ContentType,
    long Size,
    string ETag,
    int Track,
    string Format,
    string Codec,
    bool Copied,
    int? BitrateKbps,
    int? SampleRate,
    int? Channels,
    double DurationSeconds,
    double? InputLufs,
    double? OutputLufs)
{
    /// <summary>The chapter markers in the file, on its own timeline.</summary>
    public IReadOnlyList<JobChapter>? Chapters { get; init; }

    /// <summary>With split: the part's number (from 1) and title.</summary>
    public int? Part { get; init; }
    public string? Title { get; init; }

    /// <summary>With normalize: the whole loudness report (results stored before it was kept have only the two LUFS figures).</summary>
    public JobLoudness? Loudness { get; init; }
}

/// <summary>A normalised file's loudness report, in the API's units; non-finite measurements (silence) are null.</summary>
public sealed record JobLoudness(string Target, double TargetLufs, double TargetTruePeakDbtp, JobLoudnessLevels Input, JobLoudnessLevels? Output, double? GainDb, bool? TargetMet)
{
    public static JobLoudness? From(Media.LoudnessReport? report) => report is null ? null : new(
        report.Target, report.TargetLufs, report.TargetTruePeakDbtp, JobLoudnessLevels.From(report.Input),
        report.Output is { } o ? JobLoudnessLevels.From(o) : null, report.GainDb, report.TargetMet);
}

/// <summary>Integrated loudness (LUFS), loudness range (LU) and true peak (dBTP).</summary>
public sealed record JobLoudnessLevels(double? IntegratedLufs, double? LoudnessRange, double? TruePeakDbtp)
{
    public static JobLoudnessLevels From(Media.LoudnessMeasurement m) => new(Finite(m.IntegratedLufs), Finite(m.LoudnessRange), Finite(m.TruePeakDbtp));

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 2) : null;
}

/// <summary>A chapter marker in seconds, as the API shows it.</summary>
public sealed record JobChapter(double StartSeconds, double EndSeconds, string? Title)
{
    public static JobChapter From(Media.Chapter c) => new(Math.Round(c.Start.TotalSeconds, 3), Math.Round(c.End.TotalSeconds, 3), c.Title);
}

/// <summary>The right to work on a job: valid while <see cref="Token"/> is the job's current lease token.</summary>
public sealed record JobLease(string JobId, long Token, string Owner);
