namespace Vexaa.Media;

/// <summary>Why an extraction or probe failed. Each value has a stable code and a distinct CLI exit code.</summary>
public enum MediaError
{
    InvalidOption,
    InputNotFound,
    OutputExists,
    ToolNotFound,
    OutputNotWritable,
    EmptyFile,
    NotMedia,
    UnsupportedContainer,
    CorruptMedia,
    TruncatedMedia,
    NoAudioStream,
    TrackNotFound,
    DurationLimitExceeded,
    OutputSizeLimitExceeded,
    Timeout,
    EncodingFailed,
    TooManyOutputs,
    UnknownSplitMode,
    TooManyParts,
    NoChapters,
    Canceled,
    ResourceLimitExceeded,
    InsufficientStorage,
    CrossfadeTooLong,
    TooManyInputs,
    JoinNeedsTwoInputs,
    CoverTimePastEnd,
    NoVideoForCover,
    CoverNotAnImage,
    NoPauses,
    AllSilence,
}

/// <summary>Stable codes (used in ProblemDetails types and JSON output) and exit codes for <see cref="MediaError"/>.</summary>
public static class MediaErrors
{
    private static readonly Dictionary<MediaError, (string Code, int ExitCode)> Table = new()
    {
        [MediaError.InvalidOption] = ("invalid-option", 2),
        [MediaError.InputNotFound] = ("input-not-found", 3),
        [MediaError.OutputExists] = ("output-exists", 4),
        [MediaError.ToolNotFound] = ("ffmpeg-not-found", 5),
        [MediaError.OutputNotWritable] = ("output-not-writable", 6),
        [MediaError.EmptyFile] = ("empty-file", 10),
        [MediaError.NotMedia] = ("not-media", 11),
        [MediaError.UnsupportedContainer] = ("unsupported-container", 12),
        [MediaError.CorruptMedia] = ("corrupt-media", 13),
        [MediaError.TruncatedMedia] = ("truncated-media", 14),
        [MediaError.NoAudioStream] = ("no-audio-stream", 15),
        [MediaError.TrackNotFound] = ("track-not-found", 16),
        [MediaError.DurationLimitExceeded] = ("duration-limit-exceeded", 17),
        [MediaError.OutputSizeLimitExceeded] = ("output-size-limit-exceeded", 18),
        [MediaError.Timeout] = ("timeout", 19),
        [MediaError.EncodingFailed] = ("encoding-failed", 20),
        [MediaError.TooManyOutputs] = ("too-many-outputs", 21),
        [MediaError.UnknownSplitMode] = ("unknown-split-mode", 22),
        [MediaError.TooManyParts] = ("too-many-parts", 23),
        [MediaError.NoChapters] = ("no-chapters", 24),
        [MediaError.Canceled] = ("canceled", 130),
        [MediaError.ResourceLimitExceeded] = ("resource-limit-exceeded", 25),
        [MediaError.InsufficientStorage] = ("insufficient-storage", 26),
        [MediaError.CrossfadeTooLong] = ("crossfade-too-long", 32),
        [MediaError.TooManyInputs] = ("too-many-inputs", 33),
        [MediaError.JoinNeedsTwoInputs] = ("join-needs-two-inputs", 34),
        [MediaError.CoverTimePastEnd] = ("cover-time-past-end", 35),
        [MediaError.NoVideoForCover] = ("no-video-for-cover", 36),
        [MediaError.CoverNotAnImage] = ("cover-not-an-image", 37),
        [MediaError.NoPauses] = ("no-pauses", 38),
        [MediaError.AllSilence] = ("all-silence", 39),
    };

    /// <summary>The stable kebab-case code, e.g. <c>no-audio-stream</c>.</summary>
    public static string Code(this MediaError error) => Table[error].Code;

    /// <summary>The process exit code the CLI uses for this error.</summary>
    public static int ExitCode(this MediaError error) => Table[error].ExitCode;

    /// <summary>All errors, for documentation and tests.</summary>
    public static IEnumerable<MediaError> All => Table.Keys;
}

/// <summary>A failure with a stable <see cref="MediaError"/> and a one-line human reason.</summary>
public sealed class MediaException(MediaError error, string message, string? toolOutput = null) : Exception(message)
{
    public MediaError Error { get; } = error;

    /// <summary>The tail of ffmpeg/ffprobe's stderr, when a tool was involved; for logs, not for end users.</summary>
    public string? ToolOutput { get; } = toolOutput;

    /// <summary>
    /// The same run might succeed later (ffmpeg was killed, the disk was full, memory ran out); otherwise a failure of the
    /// same input with the same options is deterministic and retrying it only wastes the machine.
    /// </summary>
    public bool Transient { get; init; }

    /// <summary>A <see cref="MediaError.InvalidOption"/> failure.</summary>
    public static MediaException Invalid(string message) => new(MediaError.InvalidOption, message);
}
