using Dapper;

namespace Vexaa.Jobs;

// Inputs kept after a job succeeded (Vexaa:Retention:InputHours), so the person can convert the same file again with
// other settings without uploading it again. They count against the owner's quota while kept (UsageAsync counts every
// stored input); the janitor deletes them when the time is over (LeftoverInputsAsync), or with the job if it expires first.
public sealed partial class JobQueue
{
    /// <summary>Keeps a succeeded job's input for <paramref name="duration"/>. False when the job is gone or holds no input.</summary>
    public async Task<bool> KeepInputAsync(string jobId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE jobs SET input_expires_at = @until WHERE id = @jobId AND state = 'succeeded' AND input_key IS NOT NULL",
            new { jobId, until = time.NowMs() + duration.Ms() }) == 1;
    }
}
