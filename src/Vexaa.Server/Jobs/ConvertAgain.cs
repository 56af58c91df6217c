using Vexaa.Jobs;
using Vexaa.Media;
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
    /// <summary>A refusal with its own status and stable code (the request is fine, the earlier job cannot serve).</summary>
    public sealed class Refused(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
    }

    public static async Task<JobSubmission.Received> CopyInputAsync(
        JobRequestFields fields, string fromJob, string userId, string jobId, UserJobs queue, IFileStore store, long quotaLeft, CancellationToken cancellationToken)
    {
        if (fields.Single("uploadId") is not null)
        {
            throw MediaException.Invalid("Send either 'uploadId' or 'fromJob', not both.");
        }

        // Every check that can refuse the request runs before anything is copied.
        fields.ToOptions().ToExtractionOptions();
        fields.WebhookUrl();
        // Another user's job answers exactly as a job that does not exist.
        var source = await queue.GetAsync(userId, fromJob, cancellationToken)
            ?? throw new MediaException(MediaError.InputNotFound, $"There is no job '{fromJob}' to convert again.");
        if (source.State is not (JobState.Succeeded or JobState.Failed) || source.InputKey is null || source.InputSha256 is null)
        {
            throw source.State is JobState.Queued or JobState.Running
                ? new Refused(409, "not-finished", $"Job '{fromJob}' is {source.State}; convert it again once it has finished.")
                : new Refused(409, "input-expired", $"The input of job '{fromJob}' is no longer stored, so it cannot be converted again; upload the file again.");
        }

        if (source.InputSize > quotaLeft)
        {
            throw new Refused(403, "quota-exceeded",
                $"Converting again keeps another copy of the {source.InputSize:N0}-byte input, which would take you past your quota; delete finished jobs to make room.");
        }

        await using var input = await store.OpenReadAsync(source.InputKey, cancellationToken)
            ?? throw new Refused(409, "input-expired", $"The input of job '{fromJob}' is no longer stored, so it cannot be converted again; upload the file again.");
        await store.PutAsync(JobFiles.InputKey(jobId), input, cancellationToken);
        return new JobSubmission.Received(fields, source.InputName, source.InputSize, source.InputSha256);
    }
}
