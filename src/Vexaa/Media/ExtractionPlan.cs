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

    /// <summary>The pauses found (input timeline), when a silence option asked for the detection pass; empty otherwise.</summary>
    public IReadOnlyList<Silence> Silences { get; init; } = [];

    /// <summary>
    /// What <c>--max-pause</c> cuts out, on the uncut output's timeline, in order; the encoders get the audio without it.
    /// </summary>
    public IReadOnlyList<Silence> Cuts { get; init; } = [];

    /// <summary>With <c>--split</c>, the files the single planned track is cut into; empty otherwise.</summary>
    public IReadOnlyList<SplitPart> Parts { get; init; } = [];

    /// <summary>The cover art asked for (<c>--cover</c>), checked against the input and the outputs; null for none.</summary>
    public CoverRequest? Cover { get; init; }

    /// <summary>The cover made for this run (set by <see cref="AudioExtractor"/> just before extracting).</summary>
    internal CoverArt? CoverArt { get; init; }

    /// <summary>
    /// How many files the run writes: tracks × formats, or parts × formats when split (file = part × formats + format).
    /// </summary>
    public int FileCount => Parts.Count > 0 ? Parts.Count * Outputs.Count : Outputs.Count;

    /// <summary>The track plan file <paramref name="file"/> is written by.</summary>
    public TrackPlan TrackFor(int file) => Parts.Count > 0 ? Outputs[file % Outputs.Count] : Outputs[file];

    /// <summary>The index into <see cref="Outputs"/> (and loudness measurements) of file <paramref name="file"/>.</summary>
    public int TrackIndexFor(int file) => Parts.Count > 0 ? 0 : file;
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
