namespace Vexaa.Media;

/// <summary>
/// Turns the pauses the detection pass found into the plan: a range trimmed to the sound (<c>--trim-silence</c>, re-planned
/// so chapters shift as with <c>--start</c>/<c>--end</c>), the cuts that shorten long pauses (<c>--max-pause</c>, with the
/// chapters moved up by what was cut before them), and the parts of <c>--split silence</c>, cut in the middle of each pause.
/// </summary>
public static class SilencePlanner
{
    // A pause that starts (or ends) this close to the range's edge is leading (or trailing) silence.
    private static readonly TimeSpan Edge = TimeSpan.FromSeconds(0.05);

    /// <summary>Whether the options need the detection pass.</summary>
    public static bool Needed(ExtractionOptions options) => options.Silence is not null || options.Split is { Mode: SplitMode.Silence };

    /// <summary>The shortest pause the detection pass must report: the minimum length, or less when a pause length asked for is shorter.</summary>
    internal static TimeSpan DetectionLength(ExtractionOptions options)
    {
        var silence = options.Silence ?? new SilenceOptions();
        var length = silence.MinLength;
        if (silence.MaxPause is { } max && max < length)
        {
            length = max;
        }

        if (options.Split is { Mode: SplitMode.Silence, Pause: { } pause } && pause < length)
        {
            length = pause;
        }

        return length < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : length;
    }

    /// <param name="detected">The pauses on the plan's output timeline (the detection run starts where the plan does).</param>
    internal static ExtractionPlan Refine(MediaInfo media, ExtractionOptions options, ExtractionPlan plan, IReadOnlyList<Silence> detected, string? outputExtension)
    {
        var from = plan.Start ?? TimeSpan.Zero;
        var end = plan.ExpectedDuration ?? detected.Select(s => s.End).DefaultIfEmpty().Max();
        var silence = options.Silence ?? new SilenceOptions();
        var found = detected.Select(s => new Silence(s.Start + from, s.End + from)).ToList();
        var pauses = detected.ToList();
        if (silence.Trim)
        {
            var start = pauses.Count > 0 && pauses[0].Start <= Edge ? pauses[0].End : TimeSpan.Zero;
            var stop = pauses.Count > 0 && pauses[^1].End >= end - Edge && pauses[^1].Start > start ? pauses[^1].Start : end;
            if (stop <= start || (pauses.Count == 1 && pauses[0].Start <= Edge && pauses[0].End >= end - Edge))
            {
                throw new MediaException(MediaError.AllSilence,
                    $"The audio is silent throughout (below {silence.ThresholdDb:0.#} dBFS), so trimming the silence would leave nothing.");
            }

            // Planned again on the trimmed range, so the chapters, the expected length and every check follow it.
            plan = ExtractionPlanner.Plan(media, options with { Start = from + start, End = from + stop }, outputExtension) with { Cover = plan.Cover };
            pauses = [.. pauses.Where(p => p.End > start + Edge && p.Start < stop - Edge).Select(p => new Silence(Max(p.Start, start) - start, Min(p.End, stop) - start))];
            end = stop - start;
        }

        var cuts = silence.MaxPause is { } max
            ? pauses.Where(p => p.Length > max).Select(p => new Silence(p.Start + max / 2, p.End - max / 2)).ToList()
            : [];
        var cutTotal = cuts.Aggregate(TimeSpan.Zero, (sum, c) => sum + c.Length);
        var parts = options.Split is { Mode: SplitMode.Silence } split
            // Leading and trailing silence is not between two stretches of sound: no split there.
            ? SplitPlanner.AtPauses([.. pauses.Where(p => p.Length >= (split.Pause ?? SplitRequest.DefaultPause) && p.Start > Edge && p.End < end - Edge)
                .Select(p => Map(cuts, p.Start + p.Length / 2)).Where(t => t > Edge && t < end - cutTotal - Edge)])
            : plan.Parts;
        return plan with
        {
            Silences = found,
            Cuts = cuts,
            ExpectedDuration = plan.ExpectedDuration - cutTotal,
            Chapters = [.. plan.Chapters.Select(c => c with { Start = Map(cuts, c.Start), End = Map(cuts, c.End) }).Where(c => c.End > c.Start)],
            Parts = parts,
        };
    }

    /// <summary>Where time <paramref name="t"/> of the uncut output lands once <paramref name="cuts"/> are taken out.</summary>
    internal static TimeSpan Map(IReadOnlyList<Silence> cuts, TimeSpan t)
    {
        var removed = TimeSpan.Zero;
        foreach (var cut in cuts)
        {
            if (t <= cut.Start)
            {
                break;
            }

            removed += Min(t, cut.End) - cut.Start;
        }

        return t - removed;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
