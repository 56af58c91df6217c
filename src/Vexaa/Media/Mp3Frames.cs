using System.Buffers.Binary;

namespace Vexaa.Media;

/// <summary>
/// One MPEG-1 Layer III frame as found in a file: where it is, how long, where its main data region starts and how
/// far back (into earlier frames, the bit reservoir) its main data begins.
/// </summary>
internal sealed record Mp3Frame(long Offset, int Length, int DataStart, int MainDataBegin, bool IsInfo);

/// <summary>
/// Reads MPEG-1 Layer III frames (32, 44.1 and 48 kHz: 1152 samples each) and the encoder delay and padding that the
/// LAME/Lavc tag in a file's first (Info or Xing) frame records, which decoders use to play the exact samples encoded.
/// </summary>
internal static class Mp3Frames
{
    public const int SamplesPerFrame = 1152;
    private static readonly int[] Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Rates = [44100, 48000, 32000];

    /// <summary>Whether ffmpeg writes this output rate as MPEG-1 (1152-sample frames, 9-bit reservoir pointer).</summary>
    public static bool IsMpeg1Rate(int sampleRate) => Rates.Contains(sampleRate);

    /// <summary>Every frame of a file of bare frames (no ID3 tag), read front to back without holding the file.</summary>
    public static IEnumerable<Mp3Frame> Read(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[4 + 2 + 32 + 8];
        long offset = 0;
        while (true)
        {
            file.Position = offset;
            var got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (got < 4)
            {
                yield break;
            }

            var frame = Parse(head.AsSpan(0, got), offset) ?? throw new InvalidDataException($"No MPEG-1 Layer III frame at byte {offset} of {Path.GetFileName(path)}.");
            yield return frame;
            offset += frame.Length;
        }
    }

    /// <summary>The frame whose header starts <paramref name="bytes"/>, or null when it is not an MPEG-1 Layer III frame.</summary>
    public static Mp3Frame? Parse(ReadOnlySpan<byte> bytes, long offset)
    {
        // 11 sync bits, version 11 (MPEG-1), layer 01 (III).
        if (bytes.Length < 4 || bytes[0] != 0xFF || (bytes[1] & 0xFE) != 0xFA)
        {
            return null;
        }

        var bitrate = bytes[2] >> 4;
        var rate = (bytes[2] >> 2) & 3;
        if (bitrate is 0 or 15 || rate == 3)
        {
            return null;
        }

        var length = 144_000 * Bitrates[bitrate] / Rates[rate] + ((bytes[2] >> 1) & 1);
        var crc = (bytes[1] & 1) == 0 ? 2 : 0;
        var sideInfo = (bytes[3] >> 6) == 3 ? 17 : 32;
        var dataStart = 4 + crc + sideInfo;
        if (bytes.Length < 4 + crc + 2)
        {
            return null;
        }

        var mainDataBegin = (bytes[4 + crc] << 1) | (bytes[5 + crc] >> 7);
        var tag = bytes.Length >= dataStart + 4 ? bytes.Slice(dataStart, 4) : [];
        var isInfo = tag.SequenceEqual("Info"u8) || tag.SequenceEqual("Xing"u8);
        return new Mp3Frame(offset, length, dataStart, mainDataBegin, isInfo);
    }

    /// <summary>Where the LAME/Lavc extension starts inside an Info/Xing frame, or -1 when there is none.</summary>
    public static int LameTagOffset(ReadOnlySpan<byte> frame, int dataStart)
    {
        if (frame.Length < dataStart + 8)
        {
            return -1;
        }

        var flags = BinaryPrimitives.ReadInt32BigEndian(frame[(dataStart + 4)..]);
        var at = dataStart + 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        if (frame.Length < at + 36)
        {
            return -1;
        }

        var encoder = frame.Slice(at, 4);
        return encoder.SequenceEqual("LAME"u8) || encoder.SequenceEqual("Lavc"u8) || encoder.SequenceEqual("Lavf"u8) ? at : -1;
    }

    /// <summary>The encoder delay and padding (in samples) an Info frame records.</summary>
    public static (int Delay, int Padding)? ReadGapless(ReadOnlySpan<byte> frame, int dataStart)
    {
        var lame = LameTagOffset(frame, dataStart);
        if (lame < 0)
        {
            return null;
        }

        var packed = (frame[lame + 21] << 16) | (frame[lame + 22] << 8) | frame[lame + 23];
        return (packed >> 12, packed & 0xFFF);
    }

    /// <summary>Writes the delay and padding into an Info frame and recomputes the tag's CRC, so players trust it.</summary>
    public static bool WriteGapless(Span<byte> frame, int dataStart, int delay, int padding)
    {
        var lame = LameTagOffset(frame, dataStart);
        if (lame < 0 || delay is < 0 or > 0xFFF || padding is < 0 or > 0xFFF)
        {
            return false;
        }

        var packed = (delay << 12) | padding;
        frame[lame + 21] = (byte)(packed >> 16);
        frame[lame + 22] = (byte)(packed >> 8);
        frame[lame + 23] = (byte)packed;
        BinaryPrimitives.WriteUInt16BigEndian(frame[(lame + 34)..], TagCrc(frame, lame));
        return true;
    }

    /// <summary>
    /// The tag's CRC as ffmpeg writes it: over the frame's first 190 bytes with the CRC field itself counted as zero
    /// (in a mono frame the tag sits 15 bytes earlier, so those 190 bytes reach past the field).
    /// </summary>
    public static ushort TagCrc(ReadOnlySpan<byte> frame, int lame)
    {
        Span<byte> covered = stackalloc byte[190];
        frame[..Math.Min(190, frame.Length)].CopyTo(covered);
        foreach (var field in (int[])[lame + 34, lame + 35])
        {
            if (field < covered.Length)
            {
                covered[field] = 0;
            }
        }

        return Crc16(covered);
    }

    /// <summary>The LAME tag's CRC-16 (polynomial 0x8005, reflected, starting at 0) over the frame's first bytes.</summary>
    public static ushort Crc16(ReadOnlySpan<byte> bytes)
    {
        ushort crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }
        }

        return crc;
    }

    /// <summary>Where the audio starts in a file: past an ID3v2 tag (and its footer), if there is one.</summary>
    public static long AudioStart(Stream file)
    {
        var head = new byte[10];
        file.Position = 0;
        if (file.ReadAtLeast(head, 10, throwOnEndOfStream: false) < 10 || !head.AsSpan(0, 3).SequenceEqual("ID3"u8))
        {
            return 0;
        }

        var size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
        return 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
    }
}
