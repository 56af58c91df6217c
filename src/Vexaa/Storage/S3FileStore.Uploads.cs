using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Vexaa.Storage;

public sealed partial class S3FileStore
{
    public async Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var partSize = (int)_settings.PartSizeBytes;
        var current = ArrayPool<byte>.Shared.Rent(partSize);
        var next = ArrayPool<byte>.Shared.Rent(partSize);
        try
        {
            var filled = await FillAsync(content, current, partSize, cancellationToken);
            if (filled < partSize)
            {
                // One request, from a seekable buffer: a body of unknown length would be sent chunked whatever the setting says.
                return await PutObjectAsync(key, new PutObjectRequest { InputStream = new MemoryStream(current, 0, filled, writable: false) }, filled, cancellationToken);
            }

            return await MultipartAsync(key, async (uploadId, parts) =>
            {
                long length = 0;
                Task<UploadPartResponse>? sending = null;
                try
                {
                    while (filled > 0)
                    {
                        // Send one part while reading the next, so the client's upload and ours overlap; two parts in memory at most.
                        sending = UploadPartAsync(key, uploadId, parts.Count + 1,
                            new UploadPartRequest { InputStream = new MemoryStream(current, 0, filled, writable: false), PartSize = filled }, cancellationToken);
                        var nextFilled = await FillAsync(content, next, partSize, cancellationToken);
                        parts.Add(await sending);
                        sending = null;
                        length += filled;
                        (current, next, filled) = (next, current, nextFilled);
                    }
                }
                finally
                {
                    // The part's buffer must not go back to the pool while the SDK may still be reading it.
                    if (sending is not null)
                    {
                        try
                        {
                            await sending;
                        }
                        catch (Exception)
                        {
                            // The failure already on its way out is the one to report.
                        }
                    }
                }

                return length;
            }, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    public async Task<StoredObject> PutFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        // A file's length is known, so parts grow past the setting when it would otherwise need more than S3 allows.
        var partSize = Math.Max(_settings.PartSizeBytes, (length + S3Options.MaxParts - 1) / S3Options.MaxParts);
        var stored = length <= partSize
            ? await PutObjectAsync(key, new PutObjectRequest { FilePath = path }, length, cancellationToken)
            : await MultipartAsync(key, async (uploadId, parts) =>
            {
                for (long position = 0; position < length; position += partSize)
                {
                    parts.Add(await UploadPartAsync(key, uploadId, parts.Count + 1,
                        new UploadPartRequest { FilePath = path, FilePosition = position, PartSize = Math.Min(partSize, length - position) }, cancellationToken));
                }

                return length;
            }, cancellationToken);
        // Callers hand the file over, as a rename on local disk would: leaving it would leak it (a finished tus upload, say).
        File.Delete(path);
        return stored;
    }

    public async Task<int> DeleteIncompleteAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var removed = 0;
        try
        {
            string? keyMarker = null, uploadIdMarker = null;
            do
            {
                var page = await _client.ListMultipartUploadsAsync(
                    new ListMultipartUploadsRequest { BucketName = Bucket, KeyMarker = keyMarker, UploadIdMarker = uploadIdMarker }, cancellationToken);
                foreach (var upload in page.MultipartUploads ?? [])
                {
                    if (upload.Initiated is { } started && DateTime.UtcNow - started.ToUniversalTime() > olderThan && await AbortAsync(upload.Key, upload.UploadId))
                    {
                        removed++;
                    }
                }

                (keyMarker, uploadIdMarker) = page.IsTruncated == true ? (page.NextKeyMarker, page.NextUploadIdMarker) : (null, null);
            }
            while (keyMarker is not null);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
        {
            _logger.LogDebug("The storage service cannot list unfinished multipart uploads ({Status}); only a lifecycle rule can remove them", (int)e.StatusCode);
        }

        return removed;
    }

    private async Task<StoredObject> PutObjectAsync(string key, PutObjectRequest request, long length, CancellationToken cancellationToken)
    {
        request.BucketName = Bucket;
        request.Key = key;
        request.UseChunkEncoding = _settings.UseChunkEncoding;
        var response = await _client.PutObjectAsync(request, cancellationToken);
        return new StoredObject(length, Quoted(response.ETag), DateTimeOffset.UtcNow);
    }

    private Task<UploadPartResponse> UploadPartAsync(string key, string uploadId, int partNumber, UploadPartRequest request, CancellationToken cancellationToken)
    {
        request.BucketName = Bucket;
        request.Key = key;
        request.UploadId = uploadId;
        request.PartNumber = partNumber;
        request.UseChunkEncoding = _settings.UseChunkEncoding;
        return _client.UploadPartAsync(request, cancellationToken);
    }

    /// <summary>Starts a multipart upload, lets <paramref name="sendParts"/> upload the parts, and completes it; on any failure, aborts it.</summary>
    private async Task<StoredObject> MultipartAsync(string key, Func<string, List<UploadPartResponse>, Task<long>> sendParts, CancellationToken cancellationToken)
    {
        var started = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key }, cancellationToken);
        try
        {
            var parts = new List<UploadPartResponse>();
            var length = await sendParts(started.UploadId, parts);
            var complete = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = started.UploadId };
            // With the part responses, not bare ETags: they carry the part checksums S3 wants back when it recorded them.
            complete.AddPartETags(parts);
            var done = await _client.CompleteMultipartUploadAsync(complete, cancellationToken);
            return new StoredObject(length, Quoted(done.ETag), DateTimeOffset.UtcNow);
        }
        catch
        {
            await AbortAsync(key, started.UploadId);
            throw;
        }
    }

    /// <summary>Aborts a multipart upload so its parts stop taking space (and cost); never throws, as it runs while handling another failure.</summary>
    private async Task<bool> AbortAsync(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
        {
            _logger.LogWarning("The storage service cannot abort multipart upload {UploadId} of {Key} ({Status}); its parts stay until a lifecycle rule removes them",
                uploadId, key, (int)e.StatusCode);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not abort multipart upload {UploadId} of {Key}; the janitor will try again after a day", uploadId, key);
        }

        return false;
    }

    /// <summary>Reads until <paramref name="size"/> bytes or the end of the stream, whichever comes first.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < size)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
