using System.Buffers;

namespace Vexaa.Storage;

/// <summary>
/// A copy that reads the next block while the last one is being written. Receiving an upload (the socket, the form's
/// boundaries, the SHA-256) and writing it to disk each cost about as much, so <see cref="Stream.CopyToAsync(Stream)"/>,
/// which does one and then the other, takes their sum; this takes about the longer of the two. One write at a time, in
/// order, so the file is the same.
/// </summary>
internal static class OverlappedCopy
{
    public static async Task CopyAsync(Stream source, Stream destination, int blockSize, CancellationToken cancellationToken)
    {
        byte[][] blocks = [ArrayPool<byte>.Shared.Rent(blockSize), ArrayPool<byte>.Shared.Rent(blockSize)];
        var writing = Task.CompletedTask;
        try
        {
            for (var i = 0; ; i ^= 1)
            {
                // Whole blocks, so the disk sees large writes however small the pieces the source hands over.
                var read = await source.ReadAtLeastAsync(blocks[i].AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cancellationToken);
                await writing;
                if (read == 0)
                {
                    break;
                }

                // This block's buffer is not read into again until the write is awaited, one turn later.
                writing = destination.WriteAsync(blocks[i].AsMemory(0, read), cancellationToken).AsTask();
                if (read < blockSize)
                {
                    await writing;
                    break;
                }
            }
        }
        finally
        {
            // When a read failed while a write was under way, the read's error is the one to report, and the buffers go
            // back only once nothing writes from them.
            await writing.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            ArrayPool<byte>.Shared.Return(blocks[0]);
            ArrayPool<byte>.Shared.Return(blocks[1]);
        }
    }
}
