namespace Vexaa.Media;

/// <summary>What one ffmpeg run will do: which tracks, how each is written, and over which time range.</summary>
public sealed record ExtractionPlan(
    IReadOnlyList<TrackPlan> Outputs,
    TimeSpan? Start,
    TimeSpan? Length,
    TimeSpan? ExpectedDuration,
    LoudnessTarget? Normalize,
    bool KeepTags,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The input's chapters within the range, on the output's timeline (empty with tags stripped).</summary>
    public IReadOnlyList<Chapter> Chapters { get; init; } = [];
}

/// <summary>How one audio track becomes one output file.</summary>
public sealed record TrackPlan(
    AudioTrack Track,
    string Format,
    string Muxer,
    string Extension,
    bool Copy,
    string? Encoder,
    int? BitrateKbps,
    double? Quality,
    int? SampleRate,
    int? Channels)
{
    /// <summary>The codec the output will hold.</summary>
    public string OutputCodec => Copy ? Track.Codec : Encoder!.StartsWith("pcm_", StringComparison.Ordinal) ? Encoder : AudioFormats.Find(Format)!.Codec;
}
