using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

/// <summary>
/// Turns a probed input and a plan into audio files: measures loudness when asked (one extra decode), then runs
/// ffmpeg — once for all outputs, or in small batches when normalising (see <see cref="ExtractionBatches"/>) — writing
/// every output to a temporary name, checks the results against the job's total output limit, and only then moves the
/// files into place. Nothing partial is ever left behind.
/// </summary>
/// <param name="logger">Gets each ffmpeg command line at debug level, as it starts (for reproducing a run by hand).</param>
public sealed partial class AudioExtractor(MediaTools tools, ExtractionLimits limits, ILogger? logger = null)
{
    // A truncated input makes ffmpeg stop early but still exit 0; a shortfall beyond this, with errors logged, is reported.
    private static readonly TimeSpan ShortfallTolerance = TimeSpan.FromSeconds(0.5);

    /// <summary>Split parts encoded by one ffmpeg run; every batch decodes from the same start, so cuts land on the same samples.</summary>
    internal const int PartsPerRun = 16;

    public ExtractionLimits Limits => limits;

    /// <summary>Probes the input (once; reuse the result for planning and running).</summary>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken, string? displayName = null)
    {
        var prober = new MediaProber(tools);
        var media = await prober.ProbeAsync(path, cancellationToken, displayName).ConfigureAwait(false);
        // Too long by its header: measure before refusing, since timestamps that jump backwards inflate the header's figure.
        if (media.Duration > limits.MaxInputDuration
            && await prober.MeasureAudioDurationAsync(path, cancellationToken).ConfigureAwait(false) is { } measured && measured < media.Duration)
        {
            return media with { Duration = measured, AudioTracks = [.. media.AudioTracks.Select(t => t with { Duration = measured })] };
        }

        return media;
    }

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
        CheckLimits(media, plan);
        var input = Path.GetFullPath(inputPath);
        var finals = outputPaths.Select(Path.GetFullPath).ToList();
        foreach (var path in finals)
        {
            if (path == input)
            {
                throw MediaException.Invalid($"The output '{path}' is the input itself; choose another name or folder.");
            }

            if (OutputNaming.Unwritable(path) is { } why)
            {
                throw new MediaException(MediaError.OutputNotWritable, why);
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
        var coverFolder = plan.Cover is null ? null : CoverFolder(temporaries[0]);
        try
        {
            if (plan.Cover is { } cover)
            {
                plan = plan with { CoverArt = await new CoverMaker(tools, logger).MakeAsync(input, media, cover, coverFolder!, linked.Token).ConfigureAwait(false) };
            }

            var files = plan.Parts.Count > 0
                ? await RunPartsAsync(input, plan, temporaries, finals, progress, linked.Token).ConfigureAwait(false)
                : await RunTracksAsync(input, plan, temporaries, finals, progress, linked.Token).ConfigureAwait(false);
            Publish(temporaries, finals, overwrite);

            return new ExtractionResult(files, stopwatch.Elapsed) { Silences = plan.Silences };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.Timeout, $"The extraction took longer than the {limits.Timeout.TotalMinutes:0.#}-minute limit and was stopped.");
        }
        finally
        {
            DeleteCoverFolder(coverFolder);
            DeleteAll(temporaries);
        }
    }

    /// <summary>
    /// Deletes scratch files without throwing: a clean-up must not replace the error that brought us here, and a stray
    /// hidden file is the lesser harm.
    /// </summary>
    internal static void DeleteAll(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort, as the summary says.
            }
        }
    }

    internal static void Publish(List<string> temporaries, List<string> finals, bool overwrite)
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

    private void CheckLimits(MediaInfo media, ExtractionPlan plan)
    {
        // Tracks × formats: the encoders of one part run at once. Parts run in batches and have their own limit (200).
        if (plan.Outputs.Count > limits.MaxOutputs)
        {
            throw new MediaException(MediaError.TooManyOutputs, OutputCount.TooMany(plan, limits.MaxOutputs, "--max-outputs; on a server Vexaa:Limits:MaxOutputsPerJob"));
        }

        if (ExtractionBatches.CertainPcmBytes(plan) is var pcm && pcm > limits.MaxOutputBytes)
        {
            throw new MediaException(MediaError.OutputSizeLimitExceeded,
                $"The output would be {pcm:N0} bytes of uncompressed audio, more than the {limits.MaxOutputBytes:N0}-byte limit; choose a compressed format, fewer tracks or a shorter range.");
        }

        if (media.Duration is { } duration && duration > limits.MaxInputDuration)
        {
            throw new MediaException(MediaError.DurationLimitExceeded,
                $"The input lasts {ExtractionPlanner.Timestamp(duration)}, longer than the {ExtractionPlanner.Timestamp(limits.MaxInputDuration)} allowed.");
        }
    }

    private async Task<IReadOnlyList<LoudnessMeasurement?>> MeasureAsync(
        string input, ExtractionPlan plan, IProgress<ExtractionProgress>? progress, (double, double) share, CancellationToken cancellationToken)
    {
        var run = new FfmpegRun(tools, SandboxView.Reading(input), plan, ExtractionPhase.MeasuringLoudness, share, progress, limits.MaxOutputBytes, 0, [], logger);
        await run.RunAsync(FfmpegArguments.MeasureLoudness(input, plan), cancellationToken).ConfigureAwait(false);
        ThrowIfShort(run, plan);
        return [.. plan.Outputs.Select((_, i) => run.Loudness.Get(i)?.Input)];
    }

    private long CheckOutput(string temporary, FfmpegRun run, ExtractionPlan plan, long written, bool checkShort = true)
    {
        var file = new FileInfo(temporary);
        if (!file.Exists || file.Length == 0)
        {
            throw run.SawErrors
                ? new MediaException(MediaError.CorruptMedia, $"The input's audio could not be decoded ({run.FirstError}).", run.StderrTail)
                : new MediaException(MediaError.EncodingFailed, "ffmpeg finished without writing any audio.", run.StderrTail);
        }

        if (written + file.Length > limits.MaxOutputBytes)
        {
            throw new MediaException(MediaError.OutputSizeLimitExceeded,
                $"The outputs would together be larger than the {limits.MaxOutputBytes:N0}-byte limit; choose a lower bitrate, a shorter range or a compressed format.");
        }

        // Earlier batches of a split stop at their last part, short of the whole by design.
        if (checkShort)
        {
            ThrowIfShort(run, plan);
        }

        return file.Length;
    }

    internal static void ThrowIfShort(FfmpegRun run, ExtractionPlan plan)
    {
        if (plan.ExpectedDuration is { } expected && run.SawErrors)
        {
            var tolerance = TimeSpan.FromTicks(Math.Max(ShortfallTolerance.Ticks, expected.Ticks / 50));
            if (run.Processed < expected - tolerance)
            {
                throw new MediaException(MediaError.TruncatedMedia,
                    $"The input is cut short: its audio stops at {ExtractionPlanner.Timestamp(run.Processed)} of {ExtractionPlanner.Timestamp(expected)} ({run.FirstError}).",
                    run.StderrTail);
            }
        }
    }
}
