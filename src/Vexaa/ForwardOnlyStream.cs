namespace Vexaa;

/// <summary>
/// The streams VExAA reads once, front to back (request bodies, stored objects one after another): a subclass writes
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> and may report its <see cref="Position"/>; seeking, writing and
/// synchronous reads (which request bodies refuse anyway) are not supported.
/// </summary>
internal abstract class ForwardOnlyStream : Stream
{
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read this stream asynchronously.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
