namespace Vexaa.Media;

/// <summary>Where an extraction is in its work.</summary>
public enum ExtractionPhase { MeasuringLoudness, Extracting, FindingSilence }

/// <summary>A progress report: the phase, how far it is (0–1 over the whole job) and, when known, the time left.</summary>
public sealed record ExtractionProgress(ExtractionPhase Phase, double Fraction, TimeSpan Processed, double? Speed, TimeSpan? Remaining);

/// <summary>The files an extraction wrote.</summary>
public sealed record ExtractionResult(IReadOnlyList<ExtractedFile> Files, TimeSpan Elapsed)
{
    /// <summary>The pauses found on the input's timeline, when a silence option asked for them.</summary>
    public IReadOnlyList<Silence> Silences { get; init; } = [];
}

/// <summary>One written file, and how it was made.</summary>
public sealed record ExtractedFile(
    string Path,
    int Track,
    string Format,
    string Codec,
    bool Copied,
    int? BitrateKbps,
    int? SampleRate,
    int? Channels,
    TimeSpan Duration,
    long SizeBytes,
    LoudnessReport? Loudness)
{
    /// <summary>The chapter markers written into the file (empty when its container cannot hold them).</summary>
    public IReadOnlyList<Chapter> Chapters { get; init; } = [];

    /// <summary>With <c>--split</c>: the part's number (from 1), its title, and where it starts in the unsplit output.</summary>
    public int? Part { get; init; }
    public string? Title { get; init; }
    public TimeSpan? Start { get; init; }

    /// <summary>How many segments were encoded at once and spliced (1 = one pass; see <see cref="SegmentPlanner"/>).</summary>
    public int Segments { get; init; } = 1;
}

/// <summary>Loudness before and after normalisation, as loudnorm measured it; <see cref="Output"/> is null for silence.</summary>
public sealed record LoudnessReport(string Target, LoudnessMeasurement Input, LoudnessMeasurement? Output)
{
    /// <summary>How far the integrated loudness may end from the target and still count as met, in LU (EBU R128 s1's ±1 LU).</summary>
    public const double Tolerance = 1.0;

    /// <summary>The target's integrated loudness and true-peak ceiling.</summary>
    public double TargetLufs => LoudnessTarget.Find(Target)?.IntegratedLufs ?? double.NaN;
    public double TargetTruePeakDbtp => LoudnessTarget.Find(Target)?.TruePeakDbtp ?? double.NaN;

    /// <summary>The change in integrated loudness, in dB; null when either side is silence.</summary>
    public double? GainDb => Output is { } o && double.IsFinite(o.IntegratedLufs) && double.IsFinite(Input.IntegratedLufs)
        ? Math.Round(o.IntegratedLufs - Input.IntegratedLufs, 2) : null;

    /// <summary>
    /// Whether the output reached the target: integrated loudness within <see cref="Tolerance"/> and the true peak under the
    /// ceiling (0.1 dB for loudnorm's rounding). Null for silence, which has no loudness to reach a target with. A quiet,
    /// peaky input can miss it: loudnorm will not push peaks over the ceiling to gain loudness.
    /// </summary>
    public bool? TargetMet => Output is { } o && double.IsFinite(o.IntegratedLufs)
        ? Math.Abs(o.IntegratedLufs - TargetLufs) <= Tolerance && o.TruePeakDbtp <= TargetTruePeakDbtp + 0.1
        : null;
}
