using Vexaa.Storage;

namespace Vexaa.Tests.Storage;

/// <summary>The copy that reads ahead while it writes: the same bytes in the same order, and a failing read stops it cleanly.</summary>
public sealed class OverlappedCopyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(5 * 65536 + 12345)]
    [InlineData(4 * 65536)]
    public async Task Every_byte_arrives_in_order_however_the_source_hands_them_over(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var destination = new SlowStream();

        await OverlappedCopy.CopyAsync(new TrickleStream(data, failAfter: null), destination, 65536, CancellationToken.None);

        Assert.Equal(data, destination.ToArray());
        // Whole blocks but the last: the source's small pieces are gathered before they are written.
        Assert.All(destination.WriteSizes.SkipLast(1), size => Assert.Equal(65536, size));
    }

    [Fact]
    public async Task A_read_that_fails_is_reported_after_the_write_under_way_has_finished_and_nothing_is_written_after_it()
    {
        var data = new byte[10 * 65536];
        new Random(7).NextBytes(data);
        var destination = new SlowStream();

        var error = await Assert.ThrowsAsync<IOException>(() =>
            OverlappedCopy.CopyAsync(new TrickleStream(data, failAfter: 3 * 65536 + 100), destination, 65536, CancellationToken.None));

        Assert.Equal("the connection went away", error.Message);
        Assert.False(destination.Writing, "a write was still under way when the copy returned");
        var written = destination.ToArray();
        await Task.Delay(100);
        Assert.Equal(written.Length, destination.ToArray().Length);
        Assert.Equal(data.AsSpan(0, written.Length).ToArray(), written);
        Assert.Equal(3 * 65536, written.Length);
    }

    /// <summary>Hands over its data in pieces of 1 to 9,000 bytes, and can fail part way, as a client that goes away does.</summary>
    private sealed class TrickleStream(byte[] data, int? failAfter) : Stream
    {
        private readonly Random _sizes = new(42);
        private int _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (failAfter is { } limit && _position >= limit)
            {
                throw new IOException("the connection went away");
            }

            var count = Math.Min(Math.Min(buffer.Length, _sizes.Next(1, 9000)), data.Length - _position);
            data.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A destination whose writes take a while, and that fails a test if two ever overlap.</summary>
    private sealed class SlowStream : MemoryStream
    {
        private int _writing;

        public List<int> WriteSizes { get; } = [];
        public bool Writing => Volatile.Read(ref _writing) != 0;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Assert.Equal(0, Interlocked.Exchange(ref _writing, 1));
            // Copied at once, as a file write takes the caller's bytes: a buffer reused too early shows up as wrong data.
            var copy = buffer.ToArray();
            await Task.Delay(5, cancellationToken);
            Assert.Equal(copy, buffer.ToArray());
            lock (WriteSizes)
            {
                WriteSizes.Add(copy.Length);
                base.Write(copy, 0, copy.Length);
            }

            Volatile.Write(ref _writing, 0);
        }
    }
}
