namespace Vexaa.Media;

// Planning with the silence options: they need to know where the pauses are, so a detection pass (one decode of the
// planned track, writing nothing) runs before the plan is final.
public sealed partial class AudioExtractor
{
    /// <summary>
    /// Plans the extraction of <paramref name="media"/> as <see cref="ExtractionPlanner.Plan"/> does and, when a silence
    /// option (<c>--trim-silence</c>, <c>--max-pause</c>, <c>--split silence</c>) asks for it, finds the pauses first and
    /// plans with them: the plan's files, range, chapters and <see cref="ExtractionPlan.Silences"/> then follow.
    /// </summary>
    public async Task<ExtractionPlan> PlanAsync(
        string inputPath, MediaInfo media, ExtractionOptions options, string? outputExtension, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = ExtractionPlanner.Plan(media, options, outputExtension);
        if (!SilencePlanner.Needed(options))
        {
            return plan;
        }

        var input = Path.GetFullPath(inputPath);
        var silence = options.Silence ?? new SilenceOptions();
        using var timeout = new CancellationTokenSource(limits.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var run = new FfmpegRun(tools, SandboxView.Reading(input), plan, ExtractionPhase.FindingSilence, (0, 0), progress, limits.MaxOutputBytes, 0, [], logger);
        try
        {
            await run.RunAsync(FfmpegArguments.DetectSilence(input, plan, silence.ThresholdDb, SilencePlanner.DetectionLength(options)), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.Timeout, $"Finding the pauses took longer than the {limits.Timeout.TotalMinutes:0.#}-minute limit and was stopped.");
        }

        ThrowIfShort(run, plan);
        var found = run.Silences.Finish(plan.ExpectedDuration ?? run.Processed);
        if (run.Silences.Overflowed)
        {
            throw MediaException.Invalid($"The audio has more than {SilenceOptions.MaxPauses:N0} pauses at this threshold; raise the minimum pause length or lower the threshold.");
        }

        return SilencePlanner.Refine(media, options, plan, found, outputExtension);
    }
}
