using Microsoft.AspNetCore.WebUtilities;
using Vexaa.Jobs;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>The form's <c>coverImage</c> part: the picture for the results' cover art, stored with the job's input.</summary>
internal static partial class JobSubmission
{
    /// <summary>The largest cover image a form may carry; it is re-encoded to at most 600×600, so more is never needed.</summary>
    internal const long MaxCoverImageBytes = 10L * 1024 * 1024;

    /// <summary>Streams the part to <see cref="JobFiles.CoverKey"/>, hashed on the way; its SHA-256, or 413 past the limit.</summary>
    private static async Task<Refusable<string>> ReadCoverImageAsync(MultipartSection section, string jobId, IFileStore store, CancellationToken cancellationToken)
    {
        // Whether it is an image is the worker's question (ffprobe in the sandbox): the name and Content-Type are the client's word.
        await using var hashing = new HashingStream(new FormPartStream(section.Body, cancellationToken), MaxCoverImageBytes);
        try
        {
            await store.PutAsync(JobFiles.CoverKey(jobId), hashing, cancellationToken);
        }
        catch (UploadTooLargeException)
        {
            return Problems.Of(413, "payload-too-large", $"The cover image may be at most {MaxCoverImageBytes:N0} bytes.",
                new Dictionary<string, object?> { ["maxBytes"] = MaxCoverImageBytes });
        }

        return hashing.BytesRead == 0 ? Problems.InvalidOption("The coverImage part is empty.") : hashing.Sha256();
    }
}
