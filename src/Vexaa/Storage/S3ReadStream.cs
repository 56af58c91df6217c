using Amazon.S3;
using Amazon.S3.Model;

namespace Vexaa.Storage;

/// <summary>
/// A stored object as a seekable stream: reads continue one GET, and a seek makes the next read start a ranged GET at the
/// new position. Being seekable is what lets ASP.NET's own Range and If-Range handling serve proxied downloads.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 client, string bucket, string key, long length, string etag) : Stream
{
    private GetObjectResponse? _response;
    private long _position;

    // A body cut short is asked for again from where it stopped; this many times in a row without a byte between them.
    private const int MaxResumes = 3;
    private int _resumes;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        while (true)
        {
            int read;
            try
            {
                // If-Match: should the object be replaced mid-download, the client gets an error, never a mix of two versions.
                _response ??= await client.GetObjectAsync(new GetObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    EtagToMatch = etag,
                    // Always an explicit first-last range: some S3-compatible services read a suffix range (bytes=-N) as bytes=0-N.
                    ByteRange = _position > 0 ? new ByteRange(_position, length - 1) : null,
                }, cancellationToken);
                read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (_response is not null && e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped mid-body: S3's own retries end once the body has begun, so resume here.
                read = 0;
                if (_resumes >= MaxResumes)
                {
                    throw new StorageUnavailableException($"Stored object '{key}' kept breaking off at byte {_position} of {length}.", e);
                }
            }

            if (read > 0)
            {
                _resumes = 0;
                _position += read;
                return read;
            }

            if (_resumes++ >= MaxResumes)
            {
                throw new StorageUnavailableException($"Stored object '{key}' ended at byte {_position} of {length}.");
            }

            _response?.Dispose();
            _response = null;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Blocking on network reads would hold a thread per download; every caller here reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read stored objects asynchronously.");

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _response?.Dispose();
            _response = null;
            _position = target;
        }

        return _position;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => Seek(value, SeekOrigin.Begin); }
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
