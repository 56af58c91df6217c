namespace Vexaa.Media;

/// <summary>Where an extraction is in its work.</summary>
public enum ExtractionPhase { MeasuringLoudness, Extracting }

/// <summary>A progress report: the phase, how far it is (0–1 over the whole job) and, when known, the time left.</summary>
public sealed record ExtractionProgress(ExtractionPhase Phase, double Fraction, TimeSpan Processed, double? Speed, TimeSpan? Remaining);

/// <summary>The files an extraction wrote.</summary>
public sealed record ExtractionResult(IReadOnlyList<ExtractedFile> Files, TimeSpan Elapsed);

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
}

/// <summary>Loudness before and after normalisation, as loudnorm measured it; <see cref="Output"/> is null for silence.</summary>
public sealed record LoudnessReport(string Target, LoudnessMeasurement Input, LoudnessMeasurement? Output);
