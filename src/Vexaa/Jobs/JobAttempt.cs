using Microsoft.Extensions.Logging;

namespace Vexaa.Jobs;

/// <summary>
/// One claimed attempt at a job and the lease it holds, from the claim until it is settled: it renews the lease while
/// the work runs, reports a lost lease through <see cref="LeaseLost"/> (the job was canceled, or this worker stalled and
/// another took over), writes the outcome fenced by the lease's token, and hands the job back if it is disposed before
/// an outcome was written. Hangfire's fetched job plays the same part.
/// </summary>
public sealed class JobAttempt : IAsyncDisposable
{
    private readonly JobQueue _queue;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly Task _renewing;
    private bool _settled;

    private JobAttempt(JobQueue queue, Job job, JobLease lease, TimeSpan leaseDuration, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        Job = job;
        Lease = lease;
        _leaseDuration = leaseDuration;
        _time = time;
        _logger = logger;
        _renewing = RenewAsync(_stopRenewing.Token);
    }

    /// <summary>The job as it was claimed (its attempt already counted).</summary>
    public Job Job { get; }

    /// <summary>The lease; its <see cref="JobLease.Token"/> fences every write and names this attempt's stored files.</summary>
    public JobLease Lease { get; }

    /// <summary>Cancelled once a renewal finds the lease is no longer this attempt's: stop, and write nothing more.</summary>
    public CancellationToken LeaseLost => _lost.Token;

    /// <summary>Starts renewing a lease that <see cref="JobQueue.ClaimAsync"/> just granted.</summary>
    public static JobAttempt Begin(JobQueue queue, Job job, JobLease lease, TimeSpan leaseDuration, TimeProvider time, ILogger logger) =>
        new(queue, job, lease, leaseDuration, time, logger);

    /// <summary>Publishes the results. False when the lease was lost first: the caller must delete what it stored.</summary>
    public Task<bool> CompleteAsync(string resultsJson, long resultsSize, TimeSpan retention, TimeSpan keepInput) =>
        SettleAsync(() => _queue.CompleteAsync(Lease, resultsJson, resultsSize, retention, CancellationToken.None, keepInput));

    /// <summary>
    /// Records a failure and says what became of the job: <see cref="JobState.Queued"/> when it will be tried again
    /// (<paramref name="retryAfter"/> given and attempts left), <see cref="JobState.Failed"/> when it failed for good, or
    /// null when the lease was lost and nothing was written.
    /// </summary>
    public async Task<string?> FailAsync(string code, string message, TimeSpan? retryAfter, TimeSpan retention)
    {
        if (!await SettleAsync(() => _queue.FailAsync(Lease, code, message, retryAfter, retention, CancellationToken.None)))
        {
            return null;
        }

        // The fenced write proves the row is still as claimed, so its attempt count is the one the queue decided on.
        return retryAfter is not null && Job.Attempts < Job.MaxAttempts ? JobState.Queued : JobState.Failed;
    }

    /// <summary>Gives the job back untouched (shutdown): queued again, this attempt not counted.</summary>
    public Task<bool> ReleaseAsync() => SettleAsync(() => _queue.ReleaseAsync(Lease, CancellationToken.None));

    private async Task<bool> SettleAsync(Func<Task<bool>> write)
    {
        _settled = true;
        await StopRenewingAsync();
        return await write();
    }

    private async Task StopRenewingAsync()
    {
        await _stopRenewing.CancelAsync();
        await _renewing;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_leaseDuration / 3, _time, cancellationToken);
                if (!await _queue.RenewAsync(Lease, _leaseDuration, cancellationToken))
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The attempt ended; so does the renewal.
                return;
            }
            catch (Exception e)
            {
                // The database is unreachable for a moment (a restart, a failover): keep working and keep trying, so the
                // lease survives a blip; if it expires meanwhile, the next renewal and the fenced writes say so.
                _logger.LogWarning(e, "Job {JobId}: lease renewal failed; trying again", Lease.JobId);
            }
        }
    }

    /// <summary>Stops renewing; an attempt left without an outcome (and still holding its lease) hands the job back.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        if (!_settled && !_lost.IsCancellationRequested)
        {
            try
            {
                await ReleaseAsync();
            }
            catch (Exception e)
            {
                // Nothing more to do: the lease expires and the job is claimed again.
                _logger.LogWarning(e, "Job {JobId}: could not hand the job back", Lease.JobId);
            }
        }

        _lost.Dispose();
        _stopRenewing.Dispose();
    }
}
