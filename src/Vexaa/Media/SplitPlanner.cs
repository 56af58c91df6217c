namespace Vexaa.Media;

/// <summary>How an output is cut into several files (<c>--split</c>).</summary>
public enum SplitMode { Chapters, Silence }

/// <summary>A <c>--split</c> request, parsed by <see cref="OptionParser.ParseSplit"/>; <see cref="Pause"/> is silence's pause length.</summary>
public sealed record SplitRequest(SplitMode Mode, TimeSpan? Pause = null)
{
    /// <summary>The pause <c>--split silence</c> cuts at when no length is given.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(2);
}

/// <summary>
/// One file of a split output, on the output's timeline. <see cref="End"/> is null for the last part, which runs to the end
/// of the audio, so the parts together are the whole output with nothing lost or doubled between them.
/// </summary>
public sealed record SplitPart(int Number, TimeSpan Start, TimeSpan? End, string Title);

/// <summary>Turns chapters or pauses into <see cref="SplitPart"/>s.</summary>
public static class SplitPlanner
{
    /// <summary>The most files one split may make; every part is an encoder and an open file in the one ffmpeg run.</summary>
    public const int MaxParts = 200;

    /// <summary>One part per chapter: each from its chapter's start to the next one's (the first from 0, the last to the end).</summary>
    public static IReadOnlyList<SplitPart> ByChapters(IReadOnlyList<Chapter> chapters)
    {
        // A zero-length marker (ffmpeg keeps one that touches the cut) would be an empty file.
        var starts = chapters.Where(c => c.End > c.Start).ToList();
        if (starts.Count == 0)
        {
            throw new MediaException(MediaError.NoChapters, "The input has no chapters in the range asked for, so there is nothing to split by.");
        }

        Check(starts.Count);
        return [.. starts.Select((c, i) => new SplitPart(
            i + 1,
            i == 0 ? TimeSpan.Zero : c.Start,
            i == starts.Count - 1 ? null : starts[i + 1].Start,
            c.Title ?? $"Part {i + 1}"))];
    }

    /// <summary>One part per stretch of sound: cut at <paramref name="cuts"/> (the middles of the long pauses, on the output's timeline).</summary>
    public static IReadOnlyList<SplitPart> AtPauses(IReadOnlyList<TimeSpan> cuts)
    {
        if (cuts.Count == 0)
        {
            throw new MediaException(MediaError.NoPauses, "The audio has no pause long enough to split at; give a shorter pause length (split silence:SECONDS) or a higher silence threshold.");
        }

        Check(cuts.Count + 1);
        var bounds = cuts.Order().ToList();
        return [.. Enumerable.Range(0, bounds.Count + 1).Select(i => new SplitPart(
            i + 1,
            i == 0 ? TimeSpan.Zero : bounds[i - 1],
            i == bounds.Count ? null : bounds[i],
            $"Part {i + 1}"))];
    }

    private static void Check(int count)
    {
        if (count > MaxParts)
        {
            throw new MediaException(MediaError.TooManyParts, $"The split would make {count} files; at most {MaxParts} are allowed per job.");
        }
    }
}
