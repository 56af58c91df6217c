using Dapper;
using Vexaa.Data;

namespace Vexaa.Jobs;

/// <summary>
/// The database is the queue. A worker claims a job by taking a lease: an expiry time and a fencing token that grows
/// with every claim. Every later write by that worker (progress, result, failure) names the token, so once the lease
/// has expired and another worker holds the job, the old worker's writes change nothing. A worker that dies simply
/// stops renewing; its lease expires and the job is claimed again, its attempt counted.
/// </summary>
public sealed partial class JobQueue(Database database, TimeProvider time)
{
    public async Task<Job> EnqueueAsync(Job job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO jobs (id, user_id, state, options_json, input_key, input_name, input_size, input_sha256, max_attempts, run_after,
                              webhook_url, idempotency_key, created_at, updated_at)
            VALUES (@Id, @UserId, @State, @OptionsJson, @InputKey, @InputName, @InputSize, @InputSha256, @MaxAttempts, @RunAfter,
                    @WebhookUrl, @IdempotencyKey, @CreatedAt, @UpdatedAt)
            """, job);
        return job;
    }

    internal async Task<Job?> GetAnyAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Job>("SELECT * FROM jobs WHERE id = @id", new { id });
    }

    /// <summary>
    /// An earlier successful job of the same owner on the same input bytes with the same options, whose results are still
    /// stored: its results can be copied instead of running ffmpeg again.
    /// </summary>
    public async Task<Job?> FindReusableAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.InputSha256 is null)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<Job>(
            """
            SELECT * FROM jobs
            WHERE user_id = @UserId AND input_sha256 = @InputSha256 AND options_json = @OptionsJson AND state = 'succeeded' AND id <> @Id
              AND results_json IS NOT NULL AND (expires_at IS NULL OR expires_at > @now)
            ORDER BY finished_at DESC LIMIT 1
            """, new { job.UserId, job.InputSha256, job.OptionsJson, job.Id, now = time.NowMs() });
    }

    /// <summary>
    /// Claims the next due job: a queued one whose time has come, or a running one whose lease has expired (its worker
    /// died) and that has attempts left. Returns the job as claimed, with the new lease.
    /// </summary>
    public async Task<(Job Job, JobLease Lease)?> ClaimAsync(string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await Claims.ClaimAsync(connection, database.Dialect, "jobs",
            """
            SELECT id FROM jobs
            WHERE (state = 'queued' AND run_after <= @now) OR (state = 'running' AND lease_expires_at < @now AND attempts < max_attempts)
            ORDER BY run_after, created_at LIMIT 1
            """,
            """
            state = 'running', lease_owner = @owner, lease_token = lease_token + 1, lease_expires_at = @expires,
            attempts = attempts + 1, started_at = COALESCE(started_at, @now), progress = 0, eta_ms = NULL, phase = 'preparing', updated_at = @now
            """,
            new { owner, now, expires = now + leaseDuration.Ms() });
        if (id is null)
        {
            return null;
        }

        var job = await connection.QuerySingleAsync<Job>("SELECT * FROM jobs WHERE id = @id", new { id });
        return (job, new JobLease(job.Id, job.LeaseToken, owner));
    }

    /// <summary>Extends the lease. False when it is no longer ours (expired and taken, or the job was canceled): stop working.</summary>
    public Task<bool> RenewAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        return FencedAsync(lease, "lease_expires_at = @expires, updated_at = @now", new { expires = now + leaseDuration.Ms(), now }, cancellationToken);
    }

    public Task<bool> ReportProgressAsync(JobLease lease, double progress, long? etaMs, string phase, CancellationToken cancellationToken) =>
        FencedAsync(lease, "progress = @progress, eta_ms = @etaMs, phase = @phase, updated_at = @now", new { progress, etaMs, phase, now = time.NowMs() }, cancellationToken);

    public Task<bool> SaveProbeAsync(JobLease lease, string probeJson, CancellationToken cancellationToken) =>
        FencedAsync(lease, "probe_json = @probeJson, updated_at = @now", new { probeJson, now = time.NowMs() }, cancellationToken);

    /// <summary>
    /// Publishes the results. False when the lease was lost: the caller must then delete what it stored. The input stays
    /// recorded until it is deleted (<see cref="ClearInputAsync"/>), so a crash in between leaves a trace the janitor follows.
    /// A positive <paramref name="keepInput"/> keeps the input that long for converting again (Vexaa:Retention:InputHours),
    /// set in the same write, so nobody sees the job succeeded without knowing until when its input stays.
    /// </summary>
    public Task<bool> CompleteAsync(JobLease lease, string resultsJson, long resultsSize, TimeSpan retention, CancellationToken cancellationToken, TimeSpan keepInput = default)
    {
        var now = time.NowMs();
        long? inputUntil = keepInput > TimeSpan.Zero ? now + keepInput.Ms() : null;
        return FencedAsync(lease,
            """
            state = 'succeeded', results_json = @resultsJson, results_size = @resultsSize, progress = 1, eta_ms = 0, finished_at = @now,
            expires_at = @expires, lease_owner = NULL, lease_expires_at = NULL, error_code = NULL, error_message = NULL, updated_at = @now,
            input_expires_at = CASE WHEN input_key IS NULL THEN NULL ELSE @inputUntil END
            """,
            new { resultsJson, resultsSize, now, expires = now + retention.Ms(), inputUntil }, cancellationToken);
    }

    /// <summary>Records that a finished job's input has been deleted from storage.</summary>
    public async Task ClearInputAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE jobs SET input_key = NULL, input_expires_at = NULL WHERE id = @id AND state IN ('succeeded', 'canceled')", new { id });
    }

    /// <summary>
    /// Succeeded or canceled jobs that finished before <paramref name="before"/> and still hold an input: their worker died
    /// before deleting it, or the time it was kept for converting again (<c>input_expires_at</c>) is over.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftoverInputsAsync(TimeSpan before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(
            "SELECT id FROM jobs WHERE state IN ('succeeded', 'canceled') AND input_key IS NOT NULL AND (input_expires_at IS NULL AND finished_at < @cutoff OR input_expires_at < @now) LIMIT 500",
            new { cutoff = time.NowMs() - before.Ms(), now = time.NowMs() })];
    }

    /// <summary>
    /// Records a failure: retried after <paramref name="retryAfter"/> when given and attempts remain, otherwise failed for good
    /// (the input is kept for <paramref name="retention"/> so the user can retry).
    /// </summary>
    public Task<bool> FailAsync(JobLease lease, string code, string message, TimeSpan? retryAfter, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        return retryAfter is { } delay
            ? FencedAsync(lease,
                """
                state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                run_after = @runAfter, finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE @now END,
                expires_at = CASE WHEN attempts < max_attempts THEN NULL ELSE @expires END,
                error_code = @code, error_message = @message, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
                """,
                new { runAfter = now + delay.Ms(), now, expires = now + retention.Ms(), code, message }, cancellationToken)
            : FencedAsync(lease,
                """
                state = 'failed', finished_at = @now, expires_at = @expires, error_code = @code, error_message = @message,
                lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
                """,
                new { now, expires = now + retention.Ms(), code, message }, cancellationToken);
    }

    /// <summary>Gives a job back untouched (graceful shutdown): queued again, and the interrupted attempt not counted.</summary>
    public Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        return FencedAsync(lease,
            "state = 'queued', attempts = attempts - 1, run_after = @now, progress = 0, eta_ms = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now",
            new { now }, cancellationToken);
    }

    private async Task<bool> FencedAsync(JobLease lease, string set, object args, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(args);
        parameters.Add("fenceId", lease.JobId);
        parameters.Add("fenceToken", lease.Token);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await Deadlocks.RetryAsync(() => connection.ExecuteAsync(
            $"UPDATE jobs SET {set} WHERE id = @fenceId AND lease_token = @fenceToken AND state = 'running'", parameters)) == 1;
    }

    /// <summary>Fails running jobs whose lease expired with no attempts left (their workers kept dying).</summary>
    public async Task<IReadOnlyList<string>> FailAbandonedAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        const string Abandoned = "state = 'running' AND lease_expires_at < @now AND attempts >= max_attempts";
        await using var connection = await database.OpenAsync(cancellationToken);
        var failed = new List<string>();
        foreach (var id in await connection.QueryAsync<string>($"SELECT id FROM jobs WHERE {Abandoned} LIMIT 500", new { now }))
        {
            // The condition is checked again in the UPDATE, so a job that another process just failed is not counted twice.
            var changed = await connection.ExecuteAsync(
                $"""
                UPDATE jobs SET state = 'failed', finished_at = @now, expires_at = @expires, error_code = 'worker-lost',
                       error_message = 'The job stopped its worker every time it was tried (the process died or was killed).',
                       lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
                WHERE id = @id AND {Abandoned}
                """, new { now, expires = now + retention.Ms(), id });
            if (changed == 1)
            {
                failed.Add(id);
            }
        }

        return failed;
    }

    /// <summary>
    /// Embedded mode only (one host owns the database): leases left by a previous run of this host belong to a dead process,
    /// so they expire now rather than after their full duration.
    /// </summary>
    public async Task<int> ExpireAllLeasesAsync(CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE jobs SET lease_expires_at = @now - 1 WHERE state = 'running'", new { now });
    }

    /// <summary>Finished jobs whose retention is over.</summary>
    public async Task<IReadOnlyList<string>> ExpiredAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(
            "SELECT id FROM jobs WHERE expires_at < @now AND state IN ('succeeded', 'failed', 'canceled') LIMIT @limit", new { now = time.NowMs(), limit })];
    }

    public async Task DeleteRowAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM jobs WHERE id = @id AND state IN ('succeeded', 'failed', 'canceled')", new { id });
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM jobs GROUP BY state");
        return rows.ToDictionary(r => r.State, r => r.Count);
    }
}
