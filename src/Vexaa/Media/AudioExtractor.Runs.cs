namespace Vexaa.Media;

// The two ways a plan's outputs are spread over ffmpeg runs: by track (normalised tracks a few to a run, see
// ExtractionBatches) or, for a split, by part (every batch decoding from the same start so cuts land on the same samples).
public sealed partial class AudioExtractor
{
    private async Task<List<ExtractedFile>> RunTracksAsync(string input, ExtractionPlan plan, List<string> temporaries, List<string> finals,
        IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        var batches = ExtractionBatches.Split(plan);
        if (batches.Count == 1 && await RunSegmentedAsync(input, plan, temporaries[0], finals[0], (0, 1), progress, cancellationToken).ConfigureAwait(false) is { } segmented)
        {
            return [segmented];
        }

        var files = new List<ExtractedFile>();
        long written = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            var (indexes, part) = batches[b];
            var share = ((double)b / batches.Count, 1.0 / batches.Count);
            var made = await RunBatchAsync(input, part, [.. indexes.Select(i => temporaries[i])], [.. indexes.Select(i => finals[i])], written, share, progress, cancellationToken)
                .ConfigureAwait(false);
            written += made.Sum(f => f.SizeBytes);
            files.AddRange(made);
        }

        return files;
    }

    /// <summary>One ffmpeg run (two when normalising) for some of the outputs; <paramref name="written"/> bytes are already used.</summary>
    private async Task<List<ExtractedFile>> RunBatchAsync(string input, ExtractionPlan plan, List<string> temporaries, List<string> finals, long written,
        (double Offset, double Weight) share, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        IReadOnlyList<LoudnessMeasurement?>? measured = null;
        if (plan.Normalize is not null)
        {
            measured = await MeasureAsync(input, plan, progress, (share.Offset, share.Weight * 0.4), cancellationToken).ConfigureAwait(false);
        }

        var extracting = measured is null ? share : (share.Offset + share.Weight * 0.4, share.Weight * 0.6);
        var run = new FfmpegRun(tools, View(input, temporaries), plan, ExtractionPhase.Extracting, extracting, progress, limits.MaxOutputBytes, written, temporaries, logger);
        var args = FfmpegArguments.Extract(input, plan, temporaries, measured, limits.MaxOutputBytes - written);
        await run.RunAsync(args, cancellationToken).ConfigureAwait(false);

        var normalised = FfmpegArguments.NormalisedOutputs(plan, measured);
        var files = new List<ExtractedFile>();
        for (var i = 0; i < plan.Outputs.Count; i++)
        {
            var size = CheckOutput(temporaries[i], run, plan, written);
            written += size;
            var loudness = measured?[i] is { } m
                ? new LoudnessReport(plan.Normalize!.Name, m, normalised.IndexOf(i) is >= 0 and var f ? run.Loudness.Get(f)?.Output : null)
                : null;
            var o = plan.Outputs[i];
            files.Add(new ExtractedFile(finals[i], o.Track.Index, o.Format, o.OutputCodec, o.Copy, o.BitrateKbps,
                o.SampleRate ?? o.Track.SampleRate, o.Channels ?? o.Track.Channels, run.Processed, size, loudness)
            {
                Chapters = Markers(o, plan),
            });
        }

        return files;
    }

    // A split runs in batches: each live encoder costs memory (FLAC's about 7 MB), so 200 at once would not be bounded.
    private async Task<List<ExtractedFile>> RunPartsAsync(string input, ExtractionPlan plan, List<string> temporaries, List<string> finals,
        IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        IReadOnlyList<LoudnessMeasurement?>? measured = null;
        if (plan.Normalize is not null)
        {
            measured = await MeasureAsync(input, plan, progress, (0, 0.4), cancellationToken).ConfigureAwait(false);
        }

        // Each format of a part is a live encoder of its own, so fewer parts go to a run when there are several formats.
        var formats = plan.Outputs.Count;
        var batches = plan.Parts.Chunk(Math.Max(1, PartsPerRun / formats)).Select(c => (First: c[0].Number - 1, Count: c.Length)).ToList();
        var (offset, weight) = measured is null ? (0.0, 1.0) : (0.4, 0.6);
        var normalised = FfmpegArguments.NormalisedOutputs(plan, measured);
        var files = new List<ExtractedFile>();
        long written = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            var (first, count) = batches[b];
            var batchOutputs = temporaries.GetRange(first * formats, count * formats);
            var run = new FfmpegRun(tools, View(input, batchOutputs), plan, ExtractionPhase.Extracting, (offset + weight * b / batches.Count, weight / batches.Count), progress,
                limits.MaxOutputBytes, written, batchOutputs, logger);
            await run.RunAsync(FfmpegArguments.Extract(input, plan, temporaries, measured, limits.MaxOutputBytes - written, first, count), cancellationToken)
                .ConfigureAwait(false);
            for (var i = first * formats; i < (first + count) * formats; i++)
            {
                // Earlier batches stop at their last part, short of the whole by design.
                var size = CheckOutput(temporaries[i], run, plan, written, checkShort: b == batches.Count - 1);
                var o = plan.Outputs[i % formats];
                written += size;
                var loudness = measured?[0] is { } m
                    ? new LoudnessReport(plan.Normalize!.Name, m, normalised.Contains(0) ? run.Loudness.Get(0)?.Output : null)
                    : null;
                var part = plan.Parts[i / formats];
                var duration = (part.End ?? plan.ExpectedDuration ?? run.Processed) - part.Start;
                files.Add(new ExtractedFile(finals[i], o.Track.Index, o.Format, o.OutputCodec, o.Copy, o.BitrateKbps,
                    o.SampleRate ?? o.Track.SampleRate, o.Channels ?? o.Track.Channels, duration, size, loudness)
                {
                    Chapters = [],
                    Part = part.Number,
                    Title = part.Title,
                    Start = part.Start,
                });
            }
        }

        return files;
    }

    // What ffmpeg may see inside the sandbox: the input, read-only, and the folders its outputs are written to.
    private static SandboxView View(string input, IEnumerable<string> outputs) =>
        new([input], [.. outputs.Select(t => Path.GetDirectoryName(t)!).Distinct()]);

    private static IReadOnlyList<Chapter> Markers(TrackPlan o, ExtractionPlan plan) =>
        !ChapterMarkers.Holds(o.Muxer) ? [] : ChapterMarkers.WrittenAsComments(o.Muxer) ? [.. plan.Chapters.Take(999)] : plan.Chapters;
}
