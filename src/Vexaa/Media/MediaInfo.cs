namespace Vexaa.Media;

/// <summary>What ffprobe found in an input: the container, every audio and video track, chapters and tags.</summary>
public sealed record MediaInfo(
    string Container,
    string ContainerDescription,
    TimeSpan? Duration,
    long SizeBytes,
    long? BitRate,
    IReadOnlyList<AudioTrack> AudioTracks,
    IReadOnlyList<VideoTrack> VideoTracks,
    IReadOnlyList<Chapter> Chapters,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The pauses a job's silence options found in the input (its own timeline); null when none was looked for.</summary>
    public IReadOnlyList<Silence>? Silences { get; init; }
}

/// <summary>An audio track. <see cref="Index"/> counts audio tracks only (0, 1, ...), as <c>--track</c> does.</summary>
public sealed partial record AudioTrack(
    int Index,
    int StreamIndex,
    string Codec,
    string CodecDescription,
    string? Profile,
    int Channels,
    string? ChannelLayout,
    int SampleRate,
    string? SampleFormat,
    int? BitsPerSample,
    long? BitRate,
    string? Language,
    string? Title,
    bool IsDefault,
    TimeSpan? Duration);

/// <summary>A video track (cover art is flagged, since it is a picture rather than a video).</summary>
public sealed record VideoTrack(int StreamIndex, string Codec, int Width, int Height, double? FrameRate, bool IsCoverArt);

/// <summary>A chapter marker.</summary>
public sealed record Chapter(TimeSpan Start, TimeSpan End, string? Title);

public sealed partial record AudioTrack
{
    /// <summary>
    /// The language when it is a plain ISO 639 code, else null. It comes from the file's own metadata, so a stranger
    /// chose it: only this form may reach a file name or a tag.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? PlainLanguage => Language is { Length: 2 or 3 } code && code.All(char.IsAsciiLetterLower) ? code : null;
}
