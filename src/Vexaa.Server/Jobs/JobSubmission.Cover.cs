using Microsoft.AspNetCore.WebUtilities;
using Vexaa.Jobs;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>The form's <c>coverImage</c> part (or JSON's, in base64): the picture for the results' cover art, stored with the job's input.</summary>
internal static partial class JobSubmission
{
    /// <summary>The largest cover image a form may carry; it is re-encoded to at most 600×600, so more is never needed.</summary>
    internal const long MaxCoverImageBytes = 10L * 1024 * 1024;

    /// <summary>The largest cover image JSON may carry (base64 inside the 1 MiB body): a 600×600 JPEG is far smaller.</summary>
    internal const int MaxJsonCoverImageBytes = 700 * 1024;

    /// <summary>JSON's <c>coverImage</c> (base64), stored as a form's part is; its SHA-256, or a refusal naming the field.</summary>
    private static async Task<Refusable<string>> StoreJsonCoverImageAsync(string base64, string jobId, IFileStore store, CancellationToken cancellationToken)
    {
        var bytes = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var length) || length == 0)
        {
            return Problems.InvalidOption("Field 'coverImage' must be a JPEG or PNG in base64.");
        }

        if (length > MaxJsonCoverImageBytes)
        {
            return Problems.Of(413, "payload-too-large", $"A cover image in JSON may be at most {MaxJsonCoverImageBytes:N0} bytes; send a larger one as a form's coverImage part.",
                new Dictionary<string, object?> { ["maxBytes"] = MaxJsonCoverImageBytes });
        }

        await using var hashing = new HashingStream(new MemoryStream(bytes, 0, length, writable: false), length);
        await store.PutAsync(JobFiles.CoverKey(jobId), hashing, cancellationToken);
        return hashing.Sha256();
    }

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
