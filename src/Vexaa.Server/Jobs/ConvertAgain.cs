using Vexaa.Jobs;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>
/// <c>POST /api/v1/jobs</c> with JSON <c>{"fromJob": "&lt;id&gt;", …options}</c>: a new job on the stored input of one of the
/// caller's earlier jobs (kept for <c>Vexaa:Retention:InputHours</c> after success, <c>FailedInputHours</c> after failure),
/// so another format, track or trim needs no second upload. The input is copied, so either job can be deleted alone;
/// the copy counts against the quota like an upload.
/// </summary>
internal static class ConvertAgain
{
    /// <summary>Copies the earlier job's input for a request already checked; refuses when that job cannot serve.</summary>
    public static async Task<Refusable<JobSubmission.Received>> CopyInputAsync(
        CheckedRequest request, string fromJob, string userId, string jobId, UserJobs queue, IFileStore store, long quotaLeft, CancellationToken cancellationToken)
    {
        // Another user's job answers exactly as a job that does not exist.
        var source = await queue.GetAsync(userId, fromJob, cancellationToken);
        if (source is null)
        {
            return Problems.Of(404, "input-not-found", $"There is no job '{fromJob}' to convert again.");
        }

        if (source.State is JobState.Queued or JobState.Running)
        {
            return Problems.Of(409, "not-finished", $"Job '{fromJob}' is {source.State}; convert it again once it has finished.");
        }

        if (source.InputSize > quotaLeft)
        {
            return Problems.Of(403, "quota-exceeded",
                $"Converting again keeps another copy of the {source.InputSize:N0}-byte input, which would take you past your quota; delete finished jobs to make room.");
        }

        // Only a finished job keeps its input for a while; a canceled one never does.
        var kept = source.State is JobState.Succeeded or JobState.Failed && source.InputKey is not null && source.InputSha256 is not null;
        await using var input = kept ? await store.OpenReadAsync(source.InputKey!, cancellationToken) : null;
        if (input is null)
        {
            return Problems.Of(409, "input-expired", $"The input of job '{fromJob}' is no longer stored, so it cannot be converted again; upload the file again.");
        }

        await store.PutAsync(JobFiles.InputKey(jobId), input, cancellationToken);

        // A join is converted again as a join: its other inputs are copied too, in order (InputSize counts them all).
        var parts = source.Options().JoinParts ?? [];
        for (var i = 0; i < parts.Count; i++)
        {
            await using var part = await store.OpenReadAsync(JobFiles.PartKey(source.Id, i + 1), cancellationToken);
            if (part is null)
            {
                return Problems.Of(409, "input-expired", $"Input {i + 2} of job '{fromJob}' is no longer stored, so it cannot be converted again; upload the files again.");
            }

            await store.PutAsync(JobFiles.PartKey(jobId, i + 1), part, cancellationToken);
        }

        return new JobSubmission.Received(request, source.InputName, source.InputSize - parts.Sum(p => p.Size), source.InputSha256!) { Parts = parts };
    }
}
