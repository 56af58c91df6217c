namespace Vexaa.Packaging;

/// <summary>The file a bag's payload was made from: its name, size and SHA-256.</summary>
public sealed record BagSource(string Name, long Size, string Sha256);

/// <summary>What <see cref="BagWriter"/> records in <c>bag-info.txt</c> besides the payload's own figures.</summary>
public sealed record BagInfo(
    BagSource Source,
    IReadOnlyList<string> FfmpegCommandLines,
    string VexaaVersion,
    string? SourceOrganization,
    DateTimeOffset BaggingDate);

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
