using System.Security.Cryptography;

namespace Vexaa.Tests.Support;

/// <summary>Test payloads and their hashes.</summary>
public static class Bytes
{
    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> Sha256Async(Stream stream) => Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));

    public static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return await Sha256Async(file);
    }
}

/// <summary>
/// Reads like a request body does: not seekable, no length, and in uneven pieces. Optionally fails after
/// <c>failAfter</c> bytes, as a dropped connection or an oversized upload would.
/// </summary>
internal sealed class TrickleStream(byte[] data, long failAfter = long.MaxValue, Exception? failure = null) : ForwardOnlyStream
{
    private static readonly int[] Pieces = [1, 4093, 65536, 333, 1 << 20, 77777];
    private int _position;
    private int _reads;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        if (_position >= failAfter)
        {
            throw failure ?? new IOException("The connection dropped.");
        }

        var count = (int)Math.Min(Math.Min(buffer.Length, Pieces[_reads++ % Pieces.Length]), Math.Min(data.Length - _position, failAfter - _position));
        data.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override long Position { get => _position; set => throw new NotSupportedException(); }
}
