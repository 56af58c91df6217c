using Dapper;
using Vexaa.Data;

namespace Vexaa.Jobs;

/// <summary>
/// The jobs table as their owners see it: read, list, cancel, retry and delete one user's jobs. Every call names the
/// user, and someone else's job is as absent as a missing one. The workers' side of the same table is <see cref="JobQueue"/>.
/// </summary>
public sealed class UserJobs(Database database, TimeProvider time)
{
    public async Task<Job?> FindByIdempotencyKeyAsync(string userId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Job>("SELECT * FROM jobs WHERE user_id = @userId AND idempotency_key = @key", new { userId, key });
    }

    /// <summary>The job if it exists and belongs to <paramref name="userId"/>; someone else's job is as absent as a missing one.</summary>
    public async Task<Job?> GetAsync(string userId, string id, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(id))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Job>("SELECT * FROM jobs WHERE id = @id AND user_id = @userId", new { id, userId });
    }

    /// <summary>The user's jobs, newest first; <paramref name="before"/> is the paging cursor (a creation time and id).</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(string userId, string? state, (long CreatedAt, string Id)? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = "SELECT * FROM jobs WHERE user_id = @userId"
            + (state is null ? "" : " AND state = @state")
            + (before is null ? "" : " AND (created_at < @createdAt OR (created_at = @createdAt AND id < @id))")
            + " ORDER BY created_at DESC, id DESC LIMIT @limit";
        return [.. await connection.QueryAsync<Job>(sql, new { userId, state, createdAt = before?.CreatedAt, id = before?.Id, limit })];
    }

    /// <summary>
    /// Where each of the user's queued jobs stands in the one queue all workers take from (in the claim's order: due
    /// time, then age): 1 is the next to start.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> QueuePositionsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, long Position)>(
            """
            SELECT j.id, CAST((SELECT COUNT(*) FROM jobs q WHERE q.state = 'queued'
                AND (q.run_after < j.run_after OR (q.run_after = j.run_after AND (q.created_at < j.created_at OR (q.created_at = j.created_at AND q.id < j.id))))) + 1 AS SIGNED)
            FROM jobs j WHERE j.user_id = @userId AND j.state = 'queued'
            """, new { userId });
        return rows.ToDictionary(r => r.Id, r => r.Position);
    }

    /// <summary>The user's jobs changed (by any process) after <paramref name="sinceMs"/>, oldest change first.</summary>
    public async Task<IReadOnlyList<Job>> ChangedSinceAsync(string userId, long sinceMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<Job>(
            "SELECT * FROM jobs WHERE user_id = @userId AND updated_at > @sinceMs ORDER BY updated_at LIMIT 500", new { userId, sinceMs })];
    }

    public async Task<(long Active, long StoredBytes)> UsageAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long)>(
            """
            SELECT CAST(COALESCE(SUM(CASE WHEN state IN ('queued', 'running') THEN 1 ELSE 0 END), 0) AS SIGNED),
                   CAST(COALESCE(SUM(CASE WHEN input_key IS NOT NULL THEN input_size ELSE 0 END) + SUM(results_size), 0) AS SIGNED)
            FROM jobs WHERE user_id = @userId
            """, new { userId });
    }

    /// <summary>Cancels a queued or running job of <paramref name="userId"/>. Null when there is no such job or it already ended.</summary>
    public async Task<Job?> CancelAsync(string userId, string id, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(id))
        {
            return null;
        }

        var now = time.NowMs();
        await using var connection = await database.OpenAsync(cancellationToken);
        var canceled = await connection.ExecuteAsync(
            """
            UPDATE jobs SET state = 'canceled', finished_at = @now, input_key = NULL, eta_ms = NULL, lease_owner = NULL, lease_expires_at = NULL,
                   error_code = NULL, error_message = NULL, updated_at = @now
            WHERE id = @id AND user_id = @userId AND state IN ('queued', 'running')
            """, new { now, id, userId });
        return canceled == 1 ? await connection.QuerySingleAsync<Job>("SELECT * FROM jobs WHERE id = @id", new { id }) : null;
    }

    /// <summary>Queues a failed job again from scratch. False when it is not failed or its input has expired.</summary>
    public async Task<bool> RetryAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE jobs SET state = 'queued', attempts = 0, run_after = @now, progress = 0, eta_ms = NULL, error_code = NULL, error_message = NULL,
                   finished_at = NULL, expires_at = NULL, results_json = NULL, results_size = 0, updated_at = @now
            WHERE id = @id AND user_id = @userId AND state = 'failed' AND input_key IS NOT NULL
            """, new { now, id, userId }) == 1;
    }

    /// <summary>Deletes a finished job's row; its files are the caller's to delete.</summary>
    public async Task<bool> DeleteFinishedAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "DELETE FROM jobs WHERE id = @id AND user_id = @userId AND state IN ('succeeded', 'failed', 'canceled')", new { id, userId }) == 1;
    }
}
