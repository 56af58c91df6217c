using Dapper;
using Vexaa.Auth;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Storage;
using Vexaa.Uploads;

namespace Vexaa.Server.Admin;

/// <summary>
/// Deletes a person with everything that is theirs: running jobs are stopped, every job's input and results and every
/// unfinished upload are deleted from storage, then the account row goes (the database removes their jobs, uploads and
/// keys with it). They are disabled first, so nothing new of theirs arrives while this runs.
/// </summary>
public sealed class PersonRemoval(
    Database database, UserAccounts accounts, UserJobs queue, JobCancellations cancellations, JobEvents events, UploadStore uploads, IFileStore store)
{
    public async Task RemoveAsync(User user, CancellationToken cancellationToken)
    {
        await accounts.SetDisabledAsync(user.Name, true, cancellationToken);
        IReadOnlyList<string> jobs, pending;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            jobs = [.. await connection.QueryAsync<string>("SELECT id FROM jobs WHERE user_id = @id", new { id = user.Id })];
            pending = [.. await connection.QueryAsync<string>("SELECT id FROM uploads WHERE user_id = @id", new { id = user.Id })];
        }

        foreach (var job in jobs)
        {
            // A worker on another process loses its lease at the next renewal and throws away what it made.
            if (await queue.CancelAsync(user.Id, job, cancellationToken) is not null)
            {
                cancellations.Cancel(job);
            }

            await store.DeletePrefixAsync(JobFiles.Prefix(job), cancellationToken);
            events.Publish(new JobEvent(job, user.Id, JobEvents.Deleted, 0, null));
        }

        foreach (var upload in pending)
        {
            await uploads.DeleteStoredAsync(upload, cancellationToken);
        }

        await using var write = await database.OpenAsync(cancellationToken);
        await write.ExecuteAsync("DELETE FROM webhook_deliveries WHERE user_id = @id", new { id = user.Id });
        await accounts.DeleteAsync(user.Name, cancellationToken);
    }
}
