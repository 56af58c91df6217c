using System.Diagnostics;
using System.Net;

namespace Vexaa.Cli.Submit;

/// <summary>
/// A PATCH body: <paramref name="count"/> bytes of a file from <paramref name="offset"/>, streamed (never held in memory),
/// reporting bytes sent, and at most <paramref name="bytesPerSecond"/> when that is set (tests and benches).
/// </summary>
internal sealed class FileRangeContent(string path, long offset, long count, long bytesPerSecond, Action<long> sent) : HttpContent
{
    private const int BufferBytes = 64 * 1024;

    public long Offset => offset;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, useAsync: true);
        file.Position = offset;
        var buffer = new byte[bytesPerSecond > 0 ? Math.Min(BufferBytes, Math.Max(1024, bytesPerSecond / 20)) : BufferBytes];
        var clock = Stopwatch.StartNew();
        long done = 0;
        while (done < count)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - done)), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{path} became shorter while it was being uploaded.");
            }

            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            done += read;
            sent(done);
            if (bytesPerSecond > 0 && TimeSpan.FromSeconds(done / (double)bytesPerSecond) - clock.Elapsed is { Ticks: > 0 } ahead)
            {
                await Task.Delay(ahead, cancellationToken);
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = count;
        return true;
    }
}
