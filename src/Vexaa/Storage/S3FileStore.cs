using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using System.Net.Http.Headers;

namespace Vexaa.Storage;

/// <summary>
/// Objects in an S3-compatible bucket, so that any number of API and worker hosts share one store. Objects appear whole
/// or not at all: small ones in one PUT, larger ones as multipart uploads that are only completed once every part is up.
/// </summary>
public sealed partial class S3FileStore : IFileStore, IDisposable
{
    private const int BufferSize = 1 << 20;
    private readonly S3Options _settings;
    private readonly AmazonS3Client _client;
    private readonly ILogger<S3FileStore> _logger;

    public S3FileStore(S3Options settings, ILogger<S3FileStore> logger)
    {
        _settings = settings;
        _logger = logger;
        var config = new AmazonS3Config { ForcePathStyle = settings.ForcePathStyle };
        if (string.IsNullOrWhiteSpace(settings.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        else
        {
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = settings.Region;
        }

        _client = string.IsNullOrEmpty(settings.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
        // The SDK escapes every '/' of a copy source. S3 reads it either way (the AWS CLI leaves them as they are), but some
        // S3-compatible servers find the source bucket only with them unescaped. Runs before signing. Keys are built from
        // ids, '/' and '-' only, so nothing else in them is ever escaped.
        _client.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs { Headers: { } headers } && headers.TryGetValue(CopySourceHeader, out var source))
            {
                headers[CopySourceHeader] = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            }
        };
    }

    private const string CopySourceHeader = "x-amz-copy-source";

    private string Bucket => _settings.Bucket!;

    /// <summary>Keys per ListObjectsV2 page (S3's maximum); tests lower it to cross page boundaries with few objects.</summary>
    internal int ListPageSize { get; init; } = 1000;

    public async Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return new StoredObject(head.ContentLength, Quoted(head.ETag), head.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime()) : DateTimeOffset.UtcNow);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The largest object S3 copies in one request; larger ones would need a multipart copy.</summary>
    internal const long MaxSingleCopyBytes = 5L << 30;

    public async Task<StoredObject> MoveAsync(string from, string to, CancellationToken cancellationToken)
    {
        var source = await StatAsync(from, cancellationToken) ?? throw new FileNotFoundException($"Stored object '{from}' is missing.");
        StoredObject moved;
        if (source.Length <= MaxSingleCopyBytes)
        {
            await _client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = from, DestinationBucket = Bucket, DestinationKey = to }, cancellationToken);
            moved = await StatAsync(to, cancellationToken) ?? throw new IOException($"Copying '{from}' to '{to}' left no object.");
        }
        else
        {
            // Past the single-copy limit: stream it through this host, in parts, with bounded memory.
            await using var content = await OpenReadAsync(from, cancellationToken) ?? throw new FileNotFoundException($"Stored object '{from}' is missing.");
            moved = await PutAsync(to, content, cancellationToken);
        }

        if (moved.Length != source.Length)
        {
            throw new IOException($"Copying '{from}' to '{to}' gave {moved.Length} of {source.Length} bytes.");
        }

        await DeleteAsync(from, cancellationToken);
        return moved;
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        await StatAsync(key, cancellationToken) is { } stored ? new S3ReadStream(_client, Bucket, key, stored.Length, stored.ETag) : null;

    public async Task<string> GetLocalCopyAsync(string key, string scratchDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(scratchDirectory, Path.GetFileName(key));
        try
        {
            // Through the resuming stream: a body that S3 cuts short continues from where it stopped, or fails as such.
            await using var content = await OpenReadAsync(key, cancellationToken) ?? throw new FileNotFoundException($"Stored object '{key}' is missing.");
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await OverlappedCopy.CopyAsync(content, file, BufferSize, cancellationToken);
            if (file.Length != content.Length)
            {
                throw new StorageUnavailableException($"Stored object '{key}' arrived with {file.Length} of {content.Length} bytes.");
            }

            return path;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"Stored object '{key}' is missing.", e);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public async Task<Uri?> GetDownloadUrlAsync(string key, string fileName, string contentType, CancellationToken cancellationToken)
    {
        if (_settings.Downloads != "redirect")
        {
            return null;
        }

        // The bucket's copy is named by its key; the response headers make the browser save it under the result's name.
        // filename= for old clients (ASCII only), filename*= with the exact UTF-8 name for the rest.
        var disposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = "\"" + string.Concat(fileName.Select(c => c is < ' ' or > '~' or '"' or '\\' ? '_' : c)) + "\"",
            FileNameStar = fileName,
        };
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddSeconds(_settings.PresignSeconds),
            // The SDK presigns https:// whatever the endpoint says; an http endpoint would not answer that.
            Protocol = _settings.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        request.ResponseHeaderOverrides.ContentDisposition = disposition.ToString();
        request.ResponseHeaderOverrides.ContentType = contentType;
        return new Uri(await _client.GetPreSignedURLAsync(request));
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);

    public async IAsyncEnumerable<StoredKey> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = ListPageSize, ContinuationToken = token }, cancellationToken);
            foreach (var found in page.S3Objects ?? [])
            {
                yield return new StoredKey(found.Key, found.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime()) : DateTimeOffset.UtcNow);
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        // An empty prefix would mean the whole bucket.
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var batch = new List<KeyVersion>();
        await foreach (var found in ListAsync(prefix, cancellationToken))
        {
            batch.Add(new KeyVersion { Key = found.Key });
            if (batch.Count == ListPageSize)
            {
                await DeleteBatchAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await DeleteBatchAsync(batch, cancellationToken);
        }
    }

    private Task DeleteBatchAsync(List<KeyVersion> keys, CancellationToken cancellationToken) =>
        _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = [.. keys], Quiet = true }, cancellationToken);

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        // HeadBucket rather than a write: readiness probes run every few seconds and writes are billed.
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, cancellationToken);
            return true;
        }
        catch (AmazonServiceException e)
        {
            _logger.LogWarning("Bucket {Bucket} is not usable: {Status} {Code}", Bucket, (int)e.StatusCode, e.ErrorCode);
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>ETags are quoted strings in HTTP; a few S3-compatible services leave the quotes out.</summary>
    private static string Quoted(string? etag) =>
        etag is null ? "\"\"" : etag.StartsWith('"') || etag.StartsWith("W/", StringComparison.Ordinal) ? etag : $"\"{etag}\"";
}
