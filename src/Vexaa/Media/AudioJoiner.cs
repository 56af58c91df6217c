using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

/// <summary>
/// Joins the audio of several inputs, in order, into one output (one file per format): measures each part's loudness as
/// it will be joined (one short ffmpeg run a part), then runs the join, writing to temporary names that are moved into place
/// only when everything is right, as <see cref="AudioExtractor"/> does.
/// </summary>
public sealed partial class AudioJoiner(MediaTools tools, ExtractionLimits limits, ILogger? logger = null)
{
    /// <summary>Probes one input and checks it as extract does (allow-list, duration limit).</summary>
    public async Task<JoinInput> ProbeAsync(string path, CancellationToken cancellationToken, string? name = null)
    {
        name ??= path;
        try
        {
            var media = await new AudioExtractor(tools, limits, logger).ProbeAsync(path, cancellationToken, name).ConfigureAwait(false);
            if (media.Duration is { } duration && duration > limits.MaxInputDuration)
            {
                throw new MediaException(MediaError.DurationLimitExceeded,
                    $"It lasts {ExtractionPlanner.Timestamp(duration)}, longer than the {ExtractionPlanner.Timestamp(limits.MaxInputDuration)} allowed.");
            }

            if (media.Duration is null && media.AudioTracks.All(t => t.Duration is null))
            {
                // The header does not say: the packets do, and a part's length places every later chapter.
                var measured = await new MediaProber(tools).MeasureAudioDurationAsync(path, cancellationToken).ConfigureAwait(false);
                media = media with { Duration = measured };
            }

            return new JoinInput(Path.GetFullPath(path), media, name);
        }
        catch (MediaException e) when (!e.Message.Contains(name, StringComparison.Ordinal))
        {
            throw new MediaException(e.Error, $"{name}: {e.Message}", e.ToolOutput) { Transient = e.Transient };
        }
    }

    /// <summary>Runs <paramref name="plan"/>, writing format k to <paramref name="outputPaths"/>[k].</summary>
    public async Task<JoinResult> RunAsync(JoinPlan plan, IReadOnlyList<string> outputPaths, bool overwrite, IProgress<ExtractionProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (plan.Output.Outputs.Count > limits.MaxOutputs)
        {
            throw new MediaException(MediaError.TooManyOutputs, $"A join would write {plan.Output.Outputs.Count} files (one per format), more than the {limits.MaxOutputs} allowed (--max-outputs).");
        }

        var finals = outputPaths.Select(Path.GetFullPath).ToList();
        CheckOutputs(plan, finals, overwrite);
        var stopwatch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(limits.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var temporaries = finals.Select(OutputNaming.Temporary).ToList();
        var chapters = plan.Output.Chapters.Count > 0 ? OutputNaming.Temporary(finals[0]) + ".ffmetadata" : null;
        try
        {
            if (chapters is not null)
            {
                await File.WriteAllTextAsync(chapters, FfmpegArguments.ChaptersMetadata(plan.Output.Chapters), linked.Token).ConfigureAwait(false);
            }

            var view = new SandboxView([.. plan.Parts.Select(p => p.Input.Path).Distinct()], [.. finals.Select(f => Path.GetDirectoryName(f)!).Distinct()]);
            var measured = new List<PartLoudness?>();
            for (var i = 0; i < plan.Parts.Count; i++)
            {
                // One part a run keeps memory to one decoder whatever the number of parts; the first pass is 40 % of the work.
                var part = plan.Output with { ExpectedDuration = plan.Parts[i].Duration };
                var share = (0.4 * i / plan.Parts.Count, 0.4 / plan.Parts.Count);
                var measure = new FfmpegRun(tools, SandboxView.Reading(plan.Parts[i].Input.Path), part, ExtractionPhase.MeasuringLoudness, share, progress,
                    limits.MaxOutputBytes, 0, [], logger);
                await measure.RunAsync(FfmpegArguments.MeasurePart(plan, i), linked.Token).ConfigureAwait(false);
                AudioExtractor.ThrowIfShort(measure, part);
                measured.Add(Measured(measure.StderrTail));
            }

            var gains = Gains(plan.Target, measured);
            var run = new FfmpegRun(tools, view, plan.Output, ExtractionPhase.Extracting, (0.4, 0.6), progress, limits.MaxOutputBytes, 0, temporaries, logger);
            await run.RunAsync(FfmpegArguments.Join(plan, temporaries, gains, chapters, limits.MaxOutputBytes), linked.Token).ConfigureAwait(false);
            AudioExtractor.ThrowIfShort(run, plan.Output);
            var files = Files(plan, temporaries, finals, run);
            AudioExtractor.Publish(temporaries, finals, overwrite);

            var parts = plan.Parts.Select((p, i) => new JoinedPart(p.Input.Name, p.Title, p.Start, p.Duration, measured[i]?.IntegratedLufs,
                measured[i] is { } m && gains[i] is { } g ? Math.Round(m.IntegratedLufs + g, 2) : null, gains[i])).ToList();
            return new JoinResult(new ExtractionResult(files, stopwatch.Elapsed), parts, OutputLoudness(run.StderrTail));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.Timeout, $"The join took longer than the {limits.Timeout.TotalMinutes:0.#}-minute limit and was stopped.");
        }
        finally
        {
            AudioExtractor.DeleteAll(temporaries.Append(chapters).OfType<string>());
        }
    }

    /// <summary>
    /// The gain of each part (null: silent, left as it is): to the preset's loudness, or without one to the parts' median.
    /// A gain never takes a part's true peak past the ceiling — the preset's (−1 dBTP), or when matching the highest peak
    /// the parts already have (at least −1 dBTP): such a part stays quieter rather than being clipped or compressed.
    /// </summary>
    internal static List<double?> Gains(LoudnessTarget? preset, IReadOnlyList<PartLoudness?> measured)
    {
        var heard = measured.OfType<PartLoudness>().OrderBy(m => m.IntegratedLufs).ToList();
        if (heard.Count == 0)
        {
            return [.. measured.Select(_ => (double?)null)];
        }

        var median = heard.Count % 2 == 1
            ? heard[heard.Count / 2].IntegratedLufs
            : (heard[heard.Count / 2 - 1].IntegratedLufs + heard[heard.Count / 2].IntegratedLufs) / 2;
        var (target, ceiling) = preset is { } p ? (p.IntegratedLufs, p.TruePeakDbtp) : (median, Math.Clamp(heard.Max(m => m.TruePeakDbtp), -1, 0));
        return [.. measured.Select(m => m is null ? (double?)null : Math.Round(Math.Min(target - m.IntegratedLufs, ceiling - m.TruePeakDbtp), 2))];
    }

}
