using System.Globalization;

namespace Vexaa.Media;

/// <summary>
/// Chapter markers in outputs. ffmpeg 5.1 copies chapters itself into MP3 (ID3v2 CHAP/CTOC), MP4 (a chapter track),
/// Opus and Matroska, trimming them to -ss/-t; its FLAC and Vorbis muxers drop them, so those get the CHAPTERxxx
/// comments (the "OGM" convention ffmpeg and most players read) written by us from the same trimmed list.
/// </summary>
public static class ChapterMarkers
{
    /// <summary>The muxers whose files can carry chapter markers.</summary>
    public static bool Holds(string muxer) => muxer is "mp3" or "ipod" or "opus" or "matroska" || WrittenAsComments(muxer);

    internal static bool WrittenAsComments(string muxer) => muxer is "flac" or "ogg";

    /// <summary>
    /// The chapters of the range [<paramref name="from"/>, from + <paramref name="length"/>), shifted to start at zero, kept
    /// and clamped by the rule ffmpeg's own chapter copy uses, so the list reported is the list written.
    /// </summary>
    public static IReadOnlyList<Chapter> Within(IReadOnlyList<Chapter> chapters, TimeSpan from, TimeSpan? length)
    {
        var kept = new List<Chapter>();
        foreach (var chapter in chapters.OrderBy(c => c.Start))
        {
            if (chapter.End < from)
            {
                continue;
            }

            if (length is { } l && chapter.Start > from + l)
            {
                break;
            }

            var start = Max(TimeSpan.Zero, chapter.Start - from);
            var end = chapter.End - from;
            if (length is { } limit && end > limit)
            {
                end = limit;
            }

            kept.Add(new Chapter(start, end, Clean(chapter.Title)));
        }

        return kept;
    }

    /// <summary>
    /// <c>-metadata CHAPTER001=00:00:00.000 -metadata CHAPTER001NAME=Intro</c>... ffmpeg's reader pairs a NAME only with
    /// a chapter already read, so the order must survive: the caller adds these last, after deleting the input's
    /// <c>encoder</c> tag (ffmpeg's own replacement of that tag would otherwise move the last entry into its slot).
    /// </summary>
    internal static IEnumerable<string> CommentArguments(IReadOnlyList<Chapter> chapters)
    {
        // The reader takes three digits, so markers past the 999th cannot be written this way.
        for (var i = 0; i < Math.Min(chapters.Count, 999); i++)
        {
            var key = "CHAPTER" + (i + 1).ToString("000", CultureInfo.InvariantCulture);
            yield return "-metadata";
            yield return key + "=" + chapters[i].Start.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
            if (chapters[i].Title is { Length: > 0 } title)
            {
                yield return "-metadata";
                yield return key + "NAME=" + title;
            }
        }
    }

    /// <summary>A title from the input's metadata (a stranger wrote it): one line, bounded.</summary>
    internal static string? Clean(string? title)
    {
        if (title is null)
        {
            return null;
        }

        var line = new string([.. title.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return line.Length == 0 ? null : line.Length > 200 ? line[..200] : line;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
