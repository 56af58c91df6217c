namespace Vexaa.Media;

/// <summary>
/// One segment of a segment-parallel encode: the input samples its ffmpeg reads (<paramref name="InputEnd"/> null = to
/// the end), where it starts in frames of the whole, and the frame where it should take over from the one before.
/// </summary>
internal sealed record EncodeSegment(long InputStart, long? InputEnd, long FirstFrame, long Nominal, TimeSpan Length);

/// <summary>
/// Decides whether a plan may be encoded as several segments at once, and where they are cut. Only an MP3 or FLAC encode
/// of one whole track (no trim, split, cuts or loudness pass) qualifies. MP3 at an MPEG-1 rate: its frames can be spliced
/// without a seam (see <see cref="Mp3Splicer"/>). FLAC at its source's rate: its frames are coded independently, so
/// segments cut on the encoder's block grid join into the single pass's very bytes (see <see cref="FlacSplicer"/>).
/// AAC and Opus encoders carry state across frames that a splice would break audibly, and WAV is written as fast as
/// it is decoded (a segment would decode as much as the single pass), so everything else is encoded in one pass.
/// </summary>
internal static class SegmentPlanner
{
    /// <summary>No segment is shorter than this: below it, the extra process and the splice cost more than they save.</summary>
    internal static readonly TimeSpan MinSegment = TimeSpan.FromSeconds(60);

    // Every segment but the first decodes the input from its start (the only way every decoder's samples line up
    // exactly), so later segments are given less to encode. Decoding costs roughly this share of an MP3 encode, and about
    // half of a FLAC encode (a cheap encoder), counting the last segment's hashing of every sample for the whole's MD5.
    private const double DecodeShare = 0.12;
    private const double FlacDecodeShare = 0.5;

    /// <summary>The samples in a block of ffmpeg's FLAC encoder at 44.1 and 48 kHz (its ~105 ms rounded to a standard size).</summary>
    internal const int FlacBlock = 4608;

    /// <summary>
    /// Whether a job with these options could be segmented at all, before its input is probed: one MP3 or FLAC of one
    /// track, whole, with no loudness pass, split or silence cuts. Only then is it worth finding out how many cores are free.
    /// </summary>
    public static bool MayApply(ExtractionOptions options) =>
        options.AllFormats is ["mp3"] or ["flac"] && !options.AllTracks && options.Normalize is null && options.Split is null && options.Silence is null
        && options.Start is null or { Ticks: 0 } && options.End is null;

    public static IReadOnlyList<EncodeSegment>? Plan(ExtractionPlan plan, int parallelism)
    {
        if (parallelism < 2 || plan.Outputs.Count != 1 || plan.Parts.Count > 0 || plan.Cuts.Count > 0 || plan.Normalize is not null
            || plan.Start is { Ticks: > 0 } || plan.Length is not null || plan.ExpectedDuration is not { } duration)
        {
            return null;
        }

        var output = plan.Outputs[0];
        var inRate = output.Track.SampleRate;
        var outRate = output.SampleRate ?? inRate;
        if (!output.Copy && output.Encoder == "flac" && output.Muxer == "flac")
        {
            return PlanFlac(output, duration, parallelism);
        }

        if (output.Copy || output.Encoder != "libmp3lame" || output.Muxer != "mp3" || inRate <= 0 || !Mp3Frames.IsMpeg1Rate(outRate))
        {
            return null;
        }

        var count = (int)Math.Min(parallelism, Math.Floor(duration / MinSegment));
        // Cuts fall where a whole number of input samples is a whole number of frames of output samples.
        var unit = Lcm(Mp3Frames.SamplesPerFrame, outRate / Gcd(inRate, outRate));
        if (count < 2 || unit > outRate * 10L)
        {
            return null;
        }

        var roll = Ceiling((Mp3Splicer.Warm + Mp3Splicer.Search + 2) * (long)Mp3Frames.SamplesPerFrame, unit);
        var total = (long)(duration.TotalSeconds * outRate);
        var boundaries = Boundaries(total, count, DecodeShare, unit);
        var segments = new List<EncodeSegment>();
        for (var k = 0; k < count; k++)
        {
            var start = k == 0 ? 0 : boundaries[k] - roll;
            long? end = k + 1 < count ? boundaries[k + 1] + roll : null;
            segments.Add(new EncodeSegment(InputSamples(start, inRate, outRate), end is { } e ? InputSamples(e, inRate, outRate) : null,
                start / Mp3Frames.SamplesPerFrame, boundaries[k] / Mp3Frames.SamplesPerFrame,
                TimeSpan.FromSeconds((double)((end ?? total) - start) / outRate)));
        }

        return segments;
    }

    /// <summary>
    /// FLAC at the source's own rate (a resampler restarted at a cut would change the samples after it), from a decoder
    /// of floating-point or 32-bit samples (so every run encodes 24-bit, and the MD5 is of 24-bit samples). Segments
    /// meet on block boundaries and have no pre-roll: each block is coded from its own samples alone.
    /// </summary>
    private static List<EncodeSegment>? PlanFlac(TrackPlan output, TimeSpan duration, int parallelism)
    {
        var rate = output.Track.SampleRate;
        if (output.SampleRate is { } r && r != rate || rate is not (44100 or 48000)
            || output.Track.SampleFormat is not ("fltp" or "flt" or "s32" or "s32p" or "dbl" or "dblp"))
        {
            return null;
        }

        var count = (int)Math.Min(parallelism, Math.Floor(duration / MinSegment));
        if (count < 2)
        {
            return null;
        }

        var boundaries = Boundaries((long)(duration.TotalSeconds * rate), count, FlacDecodeShare, FlacBlock);
        return [.. Enumerable.Range(0, count).Select(k => new EncodeSegment(boundaries[k], k + 1 < count ? boundaries[k + 1] : null,
            boundaries[k] / FlacBlock, boundaries[k] / FlacBlock,
            TimeSpan.FromSeconds((double)((k + 1 < count ? boundaries[k + 1] : boundaries[count]) - boundaries[k]) / rate)))];
    }

    /// <summary>Where the segments meet, on multiples of <paramref name="unit"/>, so that they finish together.</summary>
    private static long[] Boundaries(long total, int count, double decodeShare, long unit)
    {
        var weights = new double[count];
        for (var k = 0; k < count; k++)
        {
            // Equal finishing times: segment k also decodes everything before it.
            weights[k] = 1 - decodeShare * weights.Take(k).Sum();
        }

        var boundaries = new long[count + 1];
        boundaries[count] = total;
        for (var k = 1; k < count; k++)
        {
            boundaries[k] = Ceiling((long)(total * weights.Take(k).Sum() / weights.Sum()), unit);
        }

        return boundaries;
    }

    private static long InputSamples(long outputSamples, int inRate, int outRate) => outputSamples * inRate / outRate;

    private static long Ceiling(long value, long unit) => (value + unit - 1) / unit * unit;

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    private static long Lcm(long a, long b) => a / Gcd(a, b) * b;
}
