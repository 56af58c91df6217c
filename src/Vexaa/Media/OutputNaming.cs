namespace Vexaa.Media;

/// <summary>File names for extraction outputs.</summary>
public static partial class OutputNaming
{
    /// <summary>
    /// The path for one track's output. A single output takes <paramref name="basePath"/> + extension; with several tracks
    /// each gets a suffix such as <c>.track1-deu</c>, so names stay unique and say what is inside.
    /// </summary>
    public static string ForTrack(string basePath, TrackPlan output, bool severalOutputs) =>
        severalOutputs
            ? $"{basePath}.track{output.Track.Index}{(output.Track.PlainLanguage is { } language ? "-" + language : "")}{output.Extension}"
            : basePath + output.Extension;

    /// <summary>
    /// A split part's path in <paramref name="folder"/>: <c>01 - Intro.mp3</c>, numbered to sort (two digits, three from 100
    /// parts), titled from its chapter with the characters file systems refuse replaced.
    /// </summary>
    public static string ForPart(string folder, SplitPart part, int total, string extension)
    {
        var number = part.Number.ToString(total >= 100 ? "000" : "00", System.Globalization.CultureInfo.InvariantCulture);
        var title = new string([.. part.Title.Select(c => char.IsControl(c) || "<>:\"/\\|?*".Contains(c) ? '_' : c)]).Trim().Trim('.').Trim();
        if (title.Length > 100)
        {
            title = title[..100].Trim();
        }

        return Path.Combine(folder, title.Length == 0 ? number + extension : $"{number} - {title}{extension}");
    }

    /// <summary>The longest file name (in UTF-8 bytes) Linux file systems take.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// A temporary name beside <paramref name="finalPath"/>, hidden, so a half-written file never looks finished. It is
    /// shortened when needed so that any name that fits the file system has a temporary name that fits too.
    /// </summary>
    public static string Temporary(string finalPath)
    {
        var name = Path.GetFileName(finalPath);
        const int added = 1 + 1 + 32 + 5; // "." + name + "." + guid + ".part"
        while (name.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(name) + added > MaxNameBytes)
        {
            name = name[..^1];
        }

        return Path.Combine(Path.GetDirectoryName(finalPath) ?? ".", $".{name}.{Guid.NewGuid():N}.part");
    }

    /// <summary>Why <paramref name="finalPath"/> cannot be written (folder missing, name too long), or null.</summary>
    public static string? Unwritable(string finalPath)
    {
        var folder = Path.GetDirectoryName(finalPath);
        var name = Path.GetFileName(finalPath);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return $"The output name '{(name.Length > 40 ? name[..40] + "…" : name)}' is too long: file names are at most {MaxNameBytes} bytes.";
        }

        return folder is { Length: > 0 } && !Directory.Exists(folder) ? $"The output folder '{folder}' does not exist." : null;
    }
}
