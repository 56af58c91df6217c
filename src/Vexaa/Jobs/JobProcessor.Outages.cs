using Vexaa.Media;
using Vexaa.Storage;

namespace Vexaa.Jobs;

public sealed partial class JobProcessor
{
    /// <summary>
    /// The code and sentence a failed attempt leaves on the job: the tool's own for media errors, <c>storage-unavailable</c>
    /// when the object store kept failing (S3's retries spent), <c>insufficient-storage</c> when a disk
    /// filled up, else <c>internal-error</c>. Says whether it will be tried again.
    /// </summary>
    private (string Code, string Message) FailureOf(Exception e, Job job, string scratch)
    {
        var again = job.Attempts < job.MaxAttempts;
        return e switch
        {
            MediaException m => (m.Error.Code(), Scrub(m.Message, scratch)),
            _ when DiskFull.Is(e) => (MediaError.InsufficientStorage.Code(), again
                ? "The server ran out of disk space while storing the results; the job will be tried again."
                : $"The server ran out of disk space on all of the job's {job.MaxAttempts} attempts; try again later."),
            _ when StorageOutage.Is(e) => ("storage-unavailable", again
                ? "The file storage could not be reached; the job will be tried again."
                : $"The file storage could not be reached on any of the job's {job.MaxAttempts} attempts; try again later."),
            _ => ("internal-error", again
                ? "The conversion failed for a reason on our side; it will be retried."
                : "The conversion failed for a reason on our side on every attempt."),
        };
    }
}
