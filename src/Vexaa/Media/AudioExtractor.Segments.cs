using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

// Segment-parallel encoding (FLAC's own steps are in AudioExtractor.FlacSegments.cs). MP3: a long encode cut into
// segments encoded at once on idle cores, spliced into one stream with exactly the single pass's frames and sample
// count, then put in the output with the single pass's tags.
public sealed partial class AudioExtractor
{
    /// <summary>
    /// How many encoders one extraction may run at once for a long MP3 or FLAC (see <see cref="SegmentPlanner"/>); 1 = always
    /// one pass. The CLI gives the cores; a worker gives more than 1 only when no other job is waiting.
    /// </summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>The file, or null when the plan does not qualify or no seam fits (the caller then runs the single pass).</summary>
    private async Task<ExtractedFile?> RunSegmentedAsync(string input, ExtractionPlan plan, string temporary, string final,
        (double Offset, double Weight) share, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        if (SegmentPlanner.Plan(plan, Parallelism) is not { } segments)
        {
            return null;
        }

        if (plan.Outputs[0].Encoder == "flac")
        {
            return await RunFlacSegmentsAsync(input, plan, segments, temporary, final, share, progress, cancellationToken).ConfigureAwait(false);
        }

        logger?.LogInformation("Encoding {Output} in {Count} segments at once", Path.GetFileName(final), segments.Count);
        var paths = segments.Select((_, k) => $"{temporary}.{k}.segment").ToList();
        var joined = temporary + ".frames";
        try
        {
            var runs = await RunAllAsync(input, plan, segments, [.. paths, joined], paths, k => FfmpegArguments.Segment(input, plan, segments[k], paths[k], limits.MaxOutputBytes),
                share, progress, cancellationToken).ConfigureAwait(false);

            // A truncated input shows in the last segment's run, as it would in the single pass.
            ThrowIfShort(runs[^1], plan with { ExpectedDuration = segments[^1].Length });
            var spliced = Mp3Splicer.Join([.. segments.Select((s, k) => new Mp3Segment(paths[k], s.FirstFrame, s.Nominal))], joined);
            if (spliced is not { } frames)
            {
                logger?.LogInformation("No seam fitted the bit reservoir; encoding {Output} in one pass", final);
                return null;
            }

            DeleteAll(paths);
            var mux = new FfmpegRun(tools, View(input, [joined, temporary]), plan, ExtractionPhase.Extracting, (share.Offset + share.Weight * 0.97, share.Weight * 0.03),
                progress, limits.MaxOutputBytes, 0, [temporary], logger);
            await mux.RunAsync(FfmpegArguments.SegmentsJoined(input, plan, joined, temporary, limits.MaxOutputBytes), cancellationToken).ConfigureAwait(false);
            if (!WriteGapless(temporary, frames.Delay, frames.Padding))
            {
                return null;
            }

            var size = CheckOutput(temporary, mux, plan, 0, checkShort: false);
            var o = plan.Outputs[0];
            var samples = frames.Frames * Mp3Frames.SamplesPerFrame - frames.Delay - frames.Padding;
            var rate = o.SampleRate ?? o.Track.SampleRate;
            return new ExtractedFile(final, o.Track.Index, o.Format, o.OutputCodec, o.Copy, o.BitrateKbps, rate, o.Channels ?? o.Track.Channels,
                TimeSpan.FromSeconds((double)samples / rate), size, null)
            {
                Chapters = Markers(o, plan),
                Segments = segments.Count,
            };
        }
        finally
        {
            DeleteAll([.. paths, joined]);
        }
    }

    /// <summary>
    /// Runs every segment's ffmpeg at once (<paramref name="written"/>: the files they write, held together to the output limit; <paramref name="visible"/>:
    /// every path the runs may see) and reports their progress as one; the first failure stops the others.
    /// </summary>
    private async Task<List<FfmpegRun>> RunAllAsync(string input, ExtractionPlan plan, IReadOnlyList<EncodeSegment> segments, IReadOnlyList<string> visible,
        IReadOnlyList<string> written, Func<int, List<string>> arguments, (double Offset, double Weight) share, IProgress<ExtractionProgress>? progress,
        CancellationToken cancellationToken)
    {
        var fractions = new double[segments.Count];
        var left = new TimeSpan?[segments.Count];
        var total = segments.Sum(s => s.Length.TotalSeconds);
        var runs = segments.Select((segment, k) => new FfmpegRun(tools, View(input, visible), plan with { ExpectedDuration = segment.Length },
            ExtractionPhase.Extracting, (0, 1), progress is null ? null : new Progress(report =>
            {
                lock (fractions)
                {
                    (fractions[k], left[k]) = (report.Fraction, report.Remaining);
                    var done = fractions.Select((f, i) => f * segments[i].Length.TotalSeconds).Sum() / total;
                    // The segments finish together: the time left is the slowest one's, once each has an estimate.
                    var remaining = left.All(l => l is not null) ? left.Max() : null;
                    progress.Report(report with { Fraction = share.Offset + share.Weight * 0.97 * done, Processed = TimeSpan.FromSeconds(done * total), Remaining = remaining });
                }
            }), limits.MaxOutputBytes, 0, written, logger)).ToList();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = runs.Select(async (run, k) =>
        {
            try
            {
                await run.RunAsync(arguments(k), failed.Token).ConfigureAwait(false);
            }
            catch
            {
                // One failure stops the others.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToList();
        // The runs stopped because of another's failure end canceled, not faulted, so WhenAll throws that failure.
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return runs;
    }

    /// <summary>Records the whole's encoder delay and padding in the output's Info frame, as the single pass's encoder would have.</summary>
    private static bool WriteGapless(string path, int delay, int padding)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var start = Mp3Frames.AudioStart(file);
        var head = new byte[2048];
        file.Position = start;
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (Mp3Frames.Parse(head.AsSpan(0, read), start) is not { IsInfo: true } info || info.Length > read)
        {
            return false;
        }

        var frame = head.AsSpan(0, info.Length);
        if (!Mp3Frames.WriteGapless(frame, info.DataStart, delay, padding))
        {
            return false;
        }

        file.Position = start;
        file.Write(frame);
        return true;
    }

    private sealed class Progress(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) => report(value);
    }
}
