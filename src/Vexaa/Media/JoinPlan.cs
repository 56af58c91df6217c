namespace Vexaa.Media;

/// <summary>How the parts of a join meet: butt-joined (neither set), with silence between, or overlapped.</summary>
public sealed record JoinOptions
{
    /// <summary>Seconds of silence inserted between adjacent parts (<c>--gap</c>).</summary>
    public TimeSpan? Gap { get; init; }

    /// <summary>Adjacent parts overlap by this long, faded with <c>acrossfade</c> (<c>--crossfade</c>).</summary>
    public TimeSpan? Crossfade { get; init; }
}

/// <summary>One input of a join, probed: <see cref="Name"/> is how people call it (the file name on a server).</summary>
public sealed record JoinInput(string Path, MediaInfo Media, string Name);

/// <summary>What one ffmpeg run joining several inputs into one output will do.</summary>
/// <param name="Output">The output's encoding (one track plan per format), total duration, tags and the chapters, one per part.</param>
/// <param name="Layout">The channel layout every part is remixed to: a name from a fixed table, never the input's own text.</param>
public sealed record JoinPlan(
    IReadOnlyList<JoinPart> Parts,
    ExtractionPlan Output,
    int SampleRate,
    string Layout,
    TimeSpan Gap,
    TimeSpan Crossfade,
    bool Deep)
{
    /// <summary>The loudness every part is gained to: the preset's (<c>--normalize</c>), or null to match the parts' median.</summary>
    public LoudnessTarget? Target => Output.Normalize;
}

/// <summary>A part of the joined output: the track chosen from its input, its chapter title, and where it starts in the output.</summary>
public sealed record JoinPart(JoinInput Input, AudioTrack Track, string Title, TimeSpan Duration, TimeSpan Start);

/// <summary>One part as joined: its loudness as measured, the gain applied and the loudness that gave (null for silence, left as it is).</summary>
public sealed record JoinedPart(string Input, string Title, TimeSpan Start, TimeSpan Duration, double? MeasuredLufs, double? TargetLufs, double? GainDb);

/// <summary>The written files (one per format) and how each part went in; <see cref="OutputLufs"/> is the whole output, measured.</summary>
public sealed record JoinResult(ExtractionResult Result, IReadOnlyList<JoinedPart> Parts, double? OutputLufs);
