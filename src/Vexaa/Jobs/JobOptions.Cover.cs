using Vexaa.Media;

namespace Vexaa.Jobs;

// Cover art: "auto" or a time of the video, or "image" for the picture sent with the job (the form's coverImage part).
public sealed partial record JobOptions
{
    /// <summary>The value <see cref="Cover"/> holds when the job came with a <c>coverImage</c> part.</summary>
    public const string CoverFromImage = "image";

    /// <summary>"auto" (a representative, non-black frame), a time such as "0:12" or "12.5", or "image" (set with a <c>coverImage</c> part).</summary>
    public string? Cover { get; init; }

    /// <summary>The SHA-256 of the <c>coverImage</c> part, set by the server: jobs differing only in their picture never share results.</summary>
    public string? CoverImageSha256 { get; init; }

    private CoverRequest? CoverRequest() => Cover is not { Length: > 0 } cover
        ? null
        : string.Equals(cover.Trim(), CoverFromImage, StringComparison.OrdinalIgnoreCase)
            ? CoverImageSha256 is not null
                ? new CoverRequest(CoverSource.Image)
                : throw MediaException.Invalid("cover 'image' needs the picture as a coverImage part of the form.")
            : OptionParser.ParseCover(cover, "cover", allowImage: false);
}
