namespace Vexaa.Packaging;

/// <summary>The file a bag's payload was made from: its name, size and SHA-256.</summary>
public sealed record BagSource(string Name, long Size, string Sha256);

/// <summary>
/// What <see cref="BagWriter"/> records in <c>bag-info.txt</c> besides the payload's own figures, and, with
/// <see cref="Contents"/>, in <c>data/metadata.json</c>.
/// </summary>
public sealed record BagInfo(
    BagSource Source,
    IReadOnlyList<string> FfmpegCommandLines,
    string VexaaVersion,
    string? SourceOrganization,
    DateTimeOffset BaggingDate)
{
    /// <summary>The first line of <c>ffmpeg -version</c> of the build that made the payload.</summary>
    public string? FfmpegVersion { get; init; }

    public BagContents? Contents { get; init; }
}

/// <summary>
/// How the payload was made, for <c>data/metadata.json</c>: what the source held (the probe), the options as parsed,
/// and each output with its name in <c>data/</c> (loudness measured before and after, chapters written).
/// </summary>
public sealed record BagContents(Media.MediaInfo Probe, Media.ExtractionOptions Parameters, IReadOnlyList<BagOutput> Outputs);

/// <summary>One payload file: its path inside <c>data/</c> and what the extraction reported about it.</summary>
public sealed record BagOutput(string Name, Media.ExtractedFile File);

/// <summary>Why a bag failed verification; each has a stable code and CLI exit code (30, 31).</summary>
public enum BagError
{
    /// <summary>A bag whose fixity does not hold: a file changed, missing, or not in the manifest.</summary>
    BagInvalid,

    /// <summary>No <c>bagit.txt</c> (or not a folder or zip at all).</summary>
    NotABag,
}

/// <summary>Stable codes and exit codes for <see cref="BagError"/>; 30 and 31, clear of the media errors' range.</summary>
public static class BagErrors
{
    /// <summary>The stable kebab-case code.</summary>
    public static string Code(this BagError error) => error == BagError.BagInvalid ? "bag-invalid" : "not-a-bag";

    /// <summary>The process exit code of <c>vexaa verify</c>.</summary>
    public static int ExitCode(this BagError error) => error == BagError.BagInvalid ? 30 : 31;
}
