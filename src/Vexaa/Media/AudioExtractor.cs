using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

/// <summary>
/// Turns a probed input and a plan into audio files: measures loudness when asked (one extra decode), then runs
/// one ffmpeg that reads the input once and writes every output to a temporary name, checks the result, and only
/// then moves the files into place. Nothing partial is ever left behind.
/// </summary>
/// <param name="logger">Gets each ffmpeg command line at debug level, as it starts (for reproducing a run by hand).</param>
public sealed class AudioExtractor(MediaTools tools, ExtractionLimits limits, ILogger? logger = null)
{
    // A truncated input makes ffmpeg stop early but still exit 0; a shortfall beyond this, with errors logged, is reported.
    private static readonly TimeSpan ShortfallTolerance = TimeSpan.FromSeconds(0.5);

    public ExtractionLimits Limits => limits;

    /// <summary>Probes the input (once; reuse the result for planning and running).</summary>
    public Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken, string? displayName = null) =>
        new MediaProber(tools).ProbeAsync(path, cancellationToken, displayName);

    /// <summary>
    /// Runs <paramref name="plan"/> on <paramref name="inputPath"/>, writing output i to <paramref name="outputPaths"/>[i].
    /// Existing files are replaced only when <paramref name="overwrite"/> is set.
    /// </summary>
    public async Task<ExtractionResult> RunAsync(
        string inputPath,
        MediaInfo media,
        ExtractionPlan plan,
        IReadOnlyList<string> outputPaths,
        bool overwrite,
        IProgress<ExtractionProgress>? progress,
        CancellationToken cancellationToken)
    {
        CheckLimits(media);
        var input = Path.GetFullPath(inputPath);
        var finals = outputPaths.Select(Path.GetFullPath).ToList();
        foreach (var path in finals)
        {
            if (path == input)
            {
                throw MediaException.Invalid($"The output '{path}' is the input itself; choose another name or folder.");
            }

            if (!overwrite && File.Exists(path))
            {
                throw new MediaException(MediaError.OutputExists, $"'{path}' already exists; pass --overwrite to replace it.");
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(limits.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var temporaries = finals.Select(OutputNaming.Temporary).ToList();
        try
        {
            IReadOnlyList<LoudnessMeasurement?>? measured = null;
            if (plan.Normalize is not null)
            {
                measured = await MeasureAsync(input, plan, progress, linked.Token).ConfigureAwait(false);
            }

            var run = new FfmpegRun(tools.Ffmpeg, plan, ExtractionPhase.Extracting, measured is null ? (0, 1) : (0.4, 0.6), progress, limits.MaxOutputBytes, logger);
            var args = FfmpegArguments.Extract(input, plan, temporaries, measured, limits.MaxOutputBytes);
            await run.RunAsync(args, linked.Token).ConfigureAwait(false);

            var normalised = FfmpegArguments.NormalisedOutputs(plan, measured);
            var files = new List<ExtractedFile>();
            for (var i = 0; i < plan.Outputs.Count; i++)
            {
                var size = CheckOutput(temporaries[i], run, plan);
                var loudness = measured?[i] is { } m
                    ? new LoudnessReport(plan.Normalize!.Name, m, normalised.IndexOf(i) is >= 0 and var f ? run.Loudness.Get(f)?.Output : null)
                    : null;
                var o = plan.Outputs[i];
                files.Add(new ExtractedFile(finals[i], o.Track.Index, o.Format, o.OutputCodec, o.Copy, o.BitrateKbps,
                    o.SampleRate ?? o.Track.SampleRate, o.Channels ?? o.Track.Channels, run.Processed, size, loudness));
            }

            Publish(temporaries, finals, overwrite);

            return new ExtractionResult(files, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.Timeout, $"The extraction took longer than the {limits.Timeout.TotalMinutes:0.#}-minute limit and was stopped.");
        }
        finally
        {
            foreach (var temporary in temporaries)
            {
                File.Delete(temporary);
            }
        }
    }

    private static void Publish(List<string> temporaries, List<string> finals, bool overwrite)
    {
        for (var i = 0; i < finals.Count; i++)
        {
            try
            {
                // A rename within one folder: the finished file appears whole or not at all.
                File.Move(temporaries[i], finals[i], overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(finals[i]))
            {
                throw new MediaException(MediaError.OutputExists, $"'{finals[i]}' appeared while extracting and was not replaced.");
            }
        }
    }

    private void CheckLimits(MediaInfo media)
    {
        if (media.Duration is { } duration && duration > limits.MaxInputDuration)
        {
            throw new MediaException(MediaError.DurationLimitExceeded,
                $"The input lasts {ExtractionPlanner.Clock(duration)}, longer than the {ExtractionPlanner.Clock(limits.MaxInputDuration)} allowed.");
        }
    }

    private async Task<IReadOnlyList<LoudnessMeasurement?>> MeasureAsync(
        string input, ExtractionPlan plan, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        var run = new FfmpegRun(tools.Ffmpeg, plan, ExtractionPhase.MeasuringLoudness, (0, 0.4), progress, limits.MaxOutputBytes, logger);
        await run.RunAsync(FfmpegArguments.MeasureLoudness(input, plan), cancellationToken).ConfigureAwait(false);
        ThrowIfShort(run, plan);
        return [.. plan.Outputs.Select((_, i) => run.Loudness.Get(i)?.Input)];
    }

    private long CheckOutput(string temporary, FfmpegRun run, ExtractionPlan plan)
    {
        var file = new FileInfo(temporary);
        if (!file.Exists || file.Length == 0)
        {
            throw run.SawErrors
                ? new MediaException(MediaError.CorruptMedia, $"The input's audio could not be decoded ({run.FirstError}).", run.StderrTail)
                : new MediaException(MediaError.EncodingFailed, "ffmpeg finished without writing any audio.", run.StderrTail);
        }

        if (file.Length > limits.MaxOutputBytes)
        {
            throw new MediaException(MediaError.OutputSizeLimitExceeded,
                $"The output would be larger than the {limits.MaxOutputBytes:N0}-byte limit; choose a lower bitrate, a shorter range or a compressed format.");
        }

        ThrowIfShort(run, plan);
        return file.Length;
    }

    private static void ThrowIfShort(FfmpegRun run, ExtractionPlan plan)
    {
        if (plan.ExpectedDuration is { } expected && run.SawErrors)
        {
            var tolerance = TimeSpan.FromTicks(Math.Max(ShortfallTolerance.Ticks, expected.Ticks / 50));
            if (run.Processed < expected - tolerance)
            {
                throw new MediaException(MediaError.TruncatedMedia,
                    $"The input is cut short: its audio stops at {ExtractionPlanner.Clock(run.Processed)} of {ExtractionPlanner.Clock(expected)} ({run.FirstError}).",
                    run.StderrTail);
            }
        }
    }
}
