using System.Security.Cryptography;

namespace Vexaa.Storage;

/// <summary>
/// Reads through to an upload body (or an upload's stored chunks) while computing its SHA-256 and counting bytes, and
/// stops the upload (<see cref="UploadTooLargeException"/>) as soon as it passes the limit, so an oversized upload is never stored whole.
/// </summary>
internal sealed class HashingStream(Stream inner, long limit) : ForwardOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Count(buffer.Span[..read]);
        return read;
    }

    private void Count(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        if (BytesRead > limit)
        {
            throw new UploadTooLargeException($"The upload is larger than the {limit:N0}-byte limit.");
        }

        _hash.AppendData(data);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
}
