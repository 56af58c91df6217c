using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Media;
using Vexaa.Storage;
using Vexaa.Webhooks;

namespace Vexaa.Jobs;

/// <summary>
/// Runs one claimed attempt (<see cref="JobAttempt"/>): fetch the input, probe, plan, extract in a private temporary
/// folder, store the results under the lease's token, then publish them through the attempt's fenced write. Losing the
/// lease (the job was canceled, or this worker stalled and another took over) stops ffmpeg and throws away what this
/// attempt made.
/// </summary>
public sealed partial class JobProcessor(
    JobQueue queue,
    IFileStore store,
    JobEvents events,
    JobCancellations cancellations,
    WebhookOutbox webhooks,
    Metrics.VexaaMetrics metrics,
    Redis.ProbeCache probes,
    IOptions<DataOptions> data,
    IOptions<WorkersOptions> workers,
    IOptions<LimitsOptions> limitOptions,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    // Errors about the input or the options: trying again cannot help. So is an ffmpeg failure that is not Transient.
    private static readonly HashSet<MediaError> Permanent =
    [
        MediaError.InvalidOption, MediaError.EmptyFile, MediaError.NotMedia, MediaError.UnsupportedContainer, MediaError.CorruptMedia,
        MediaError.TruncatedMedia, MediaError.NoAudioStream, MediaError.TrackNotFound, MediaError.DurationLimitExceeded,
        MediaError.OutputSizeLimitExceeded, MediaError.Timeout, MediaError.TooManyOutputs, MediaError.UnknownSplitMode, MediaError.TooManyParts,
        MediaError.NoChapters, MediaError.ResourceLimitExceeded, MediaError.CoverTimePastEnd, MediaError.NoVideoForCover, MediaError.CoverNotAnImage,
        MediaError.NoPauses, MediaError.AllSilence, MediaError.CrossfadeTooLong, MediaError.TooManyInputs, MediaError.JoinNeedsTwoInputs,
    ];

    /// <param name="attempt">The claimed attempt; it owns the lease, its renewal and the fenced outcome.</param>
    /// <param name="hardStop">Cancelled when the host can wait no longer (shutdown past its grace period): the job is released, not failed.</param>
    public async Task ProcessAsync(JobAttempt attempt, MediaTools tools, CancellationToken hardStop)
    {
        var (job, lease) = (attempt.Job, attempt.Lease);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(hardStop, attempt.LeaseLost);
        using var registration = cancellations.Register(job.Id, work);
        var scratch = data.Value.Scratch("jobs", $"{job.Id}-{lease.Token}");
        // Readable by this job only: another job's ffmpeg, or another local user, has no business in it.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(scratch);
        else Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stored = false;
        Interlocked.Increment(ref _running);
        logger.LogInformation("Job {JobId} attempt {Attempt}/{MaxAttempts} started (lease {Token})", job.Id, job.Attempts, job.MaxAttempts, lease.Token);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // From here on results may be stored under this attempt's token, one file at a time: any way out but publishing them removes them.
            stored = true;
            var results = await ReuseAsync(job, lease, work.Token) ?? await ExtractAsync(job, lease, tools, scratch, work.Token);
            if (!await attempt.CompleteAsync(JobColumns.Write(results), results.Sum(r => r.Size), TimeSpan.FromHours(retention.Value.ResultsHours),
                    TimeSpan.FromHours(Math.Max(0, retention.Value.InputHours))))
            {
                logger.LogWarning("Job {JobId}: lease {Token} was lost before the results were published; they are discarded", job.Id, lease.Token);
                return;
            }

            stored = false;
            var audioSeconds = results.Sum(r => r.DurationSeconds) / Math.Max(1, results.Count);
            metrics.JobFinished(JobState.Succeeded, null, started.Elapsed, audioSeconds / Math.Max(0.001, started.Elapsed.TotalSeconds));
            // Attempts killed after storing their results but before publishing them left files under their own
            // tokens; lease tokens count up from 1, so every earlier one can go without listing the storage.
            for (var earlier = lease.Token - 1; earlier >= 1 && lease.Token > 1; earlier--)
            {
                var token = earlier;
                await DeleteQuietlyAsync(() => store.DeletePrefixAsync(JobFiles.ResultsPrefix(job.Id, token), CancellationToken.None));
            }

            // The input was kept a while for converting again as the results were published, or goes now; if this process
            // dies in between, the janitor finishes it (an input with no keep-until time is a leftover).
            if (retention.Value.InputHours <= 0)
            {
                await DeleteQuietlyAsync(async () =>
                {
                    await JobFiles.DeleteInputsAsync(store, job.Id, CancellationToken.None);
                    await queue.ClearInputAsync(job.Id, CancellationToken.None);
                });
            }
            await FinishedAsync(job, JobState.Succeeded);
            logger.LogInformation("Job {JobId} succeeded with {Count} file(s)", job.Id, results.Count);
        }
        catch (OperationCanceledException) when (attempt.LeaseLost.IsCancellationRequested)
        {
            logger.LogInformation("Job {JobId}: stopped because its lease {Token} ended (canceled or taken over)", job.Id, lease.Token);
        }
        catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
        {
            await attempt.ReleaseAsync();
            logger.LogInformation("Job {JobId}: released for another worker because this one is shutting down", job.Id);
        }
        catch (MediaException e) when (Permanent.Contains(e.Error) || (e.Error == MediaError.EncodingFailed && !e.Transient))
        {
            logger.LogInformation("Job {JobId} failed: {Code}: {Message}", job.Id, e.Error.Code(), e.Message);
            LogToolOutput(job, e);
            metrics.JobFinished(JobState.Failed, e.Error.Code(), started.Elapsed, null);
            if (await attempt.FailAsync(e.Error.Code(), Scrub(e.Message, scratch), null, TimeSpan.FromHours(retention.Value.FailedInputHours)) is not null)
            {
                await FinishedAsync(job, JobState.Failed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !hardStop.IsCancellationRequested)
        {
            var (code, message) = FailureOf(e, job, scratch);
            var delay = Backoff(job.Attempts);
            logger.LogWarning(e, "Job {JobId} attempt {Attempt} failed ({Code}); retry in {Delay}", job.Id, job.Attempts, code, delay);
            if (e is MediaException tool)
            {
                LogToolOutput(job, tool);
            }
            metrics.JobFinished("error", code, started.Elapsed, null);
            switch (await attempt.FailAsync(code, message, delay, TimeSpan.FromHours(retention.Value.FailedInputHours)))
            {
                case JobState.Failed:
                    await FinishedAsync(job, JobState.Failed);
                    break;
                case JobState.Queued:
                    events.Publish(new JobEvent(job.Id, job.UserId, JobState.Queued, 0, null));
                    break;
            }
        }
        finally
        {
            if (stored)
            {
                await DeleteQuietlyAsync(() => store.DeletePrefixAsync(JobFiles.ResultsPrefix(job.Id, lease.Token), CancellationToken.None));
            }

            DeleteScratch(scratch);
            Interlocked.Decrement(ref _running);
        }
    }

    private async Task FinishedAsync(Job job, string state)
    {
        events.Publish(new JobEvent(job.Id, job.UserId, state, state == JobState.Succeeded ? 1 : 0, null));
        // The row as it was written (state, error, time), not the claimed copy: the webhook reports what the job ended as.
        if (job.WebhookUrl is not null && await queue.GetAnyAsync(job.Id, CancellationToken.None) is { WebhookUrl: { } url } ended)
        {
            await webhooks.EnqueueAsync(
                new WebhookNotice(ended.Id, ended.UserId, url, ended.State, ended.ErrorCode, ended.ErrorMessage, ended.UpdatedAt)
                {
                    // What was made, without where it is stored: the endpoint downloads through the API like anyone.
                    Results = ended.State == JobState.Succeeded
                        ? [.. ended.Results().Select(r => (object)new { r.Index, r.FileName, r.ContentType, r.Size, r.Format, r.Codec, r.DurationSeconds, r.Part, r.Title, r.Loudness })]
                        : null,
                }, CancellationToken.None);
        }
    }

    /// <summary>
    /// ffmpeg's or ffprobe's last stderr lines, for whoever runs the server to see why: kept out of the job's error, which
    /// users read. They hold the tool's complaints and this server's paths, never credentials.
    /// </summary>
    private void LogToolOutput(Job job, MediaException e)
    {
        if (!string.IsNullOrWhiteSpace(e.ToolOutput))
        {
            logger.LogWarning("Job {JobId} attempt {Attempt}: the tool's last output was:\n{ToolOutput}", job.Id, job.Attempts, e.ToolOutput.TrimEnd());
        }
    }

    /// <summary>Users see messages about their file, never this server's folders (ffmpeg quotes paths in some errors).</summary>
    private string Scrub(string message, string scratch)
    {
        foreach (var folder in new[] { scratch, data.Value.FullPath })
        {
            message = message.Replace("file:" + folder, "", StringComparison.Ordinal).Replace(folder, "", StringComparison.Ordinal);
        }

        return message;
    }

    private TimeSpan Backoff(int attempt)
    {
        // Exponential with full jitter, so jobs that failed together do not all come back at the same moment.
        var ceiling = workers.Value.RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        return TimeSpan.FromSeconds(Math.Min(3600, ceiling * (0.5 + Random.Shared.NextDouble() / 2)));
    }

    private async Task DeleteQuietlyAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (Exception e)
        {
            // The janitor will find it later; a failed clean-up must not fail the job.
            logger.LogWarning(e, "Clean-up failed");
        }
    }

    private void DeleteScratch(string scratch)
    {
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not remove {Scratch}; the janitor will", scratch);
        }
    }
}
