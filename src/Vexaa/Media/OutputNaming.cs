namespace Vexaa.Media;

/// <summary>File names for extraction outputs.</summary>
public static class OutputNaming
{
    /// <summary>
    /// The path for one track's output. A single output takes <paramref name="basePath"/> + extension; with several tracks
    /// each gets a suffix such as <c>.track1-deu</c>, so names stay unique and say what is inside.
    /// </summary>
    public static string ForTrack(string basePath, TrackPlan output, bool severalOutputs) =>
        severalOutputs
            ? $"{basePath}.track{output.Track.Index}{(output.Track.PlainLanguage is { } language ? "-" + language : "")}{output.Extension}"
            : basePath + output.Extension;

    /// <summary>A temporary name beside <paramref name="finalPath"/>, hidden, so a half-written file never looks finished.</summary>
    public static string Temporary(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath) ?? ".", $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}.part");
}
