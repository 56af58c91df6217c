namespace Vexaa.Media;

/// <summary>A FLAC stream's STREAMINFO: where its 34 bytes are, and the fields a splice reads or rewrites.</summary>
internal sealed record FlacStreamInfo(long Offset, long AudioStart, int MinBlock, int MaxBlock, int MinFrame, int MaxFrame,
    int SampleRate, int Channels, int Bits, long Samples);

/// <summary>A frame header's fields that a splice needs: its number (fixed-size blocks) and where that number is coded.</summary>
internal readonly record struct FlacFrameHeader(long Number, int NumberStart, int NumberEnd, int End, int Samples);

/// <summary>
/// The parts of the FLAC format (xiph.org's specification, RFC 9639) that renumbering frames needs: the metadata blocks,
/// a frame header and its CRC-8, the frame's CRC-16 and the UTF-8-like coding of frame numbers.
/// </summary>
internal static class FlacFrames
{
    private static readonly ushort[] Crc16Table = BuildCrc16();

    /// <summary>Reads the metadata blocks at the start of a FLAC file; null when it is not one or STREAMINFO is not first.</summary>
    public static FlacStreamInfo? ReadStreamInfo(Stream file)
    {
        var head = new byte[4];
        file.Position = 0;
        if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4 || head is not [(byte)'f', (byte)'L', (byte)'a', (byte)'C'])
        {
            return null;
        }

        byte[]? info = null;
        long infoOffset = 0;
        while (true)
        {
            if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
            {
                return null;
            }

            var (last, type, length) = (head[0] >> 7 == 1, head[0] & 0x7f, (head[1] << 16) | (head[2] << 8) | head[3]);
            if (info is null)
            {
                if (type != 0 || length != 34)
                {
                    return null;
                }

                infoOffset = file.Position;
                info = new byte[34];
                file.ReadExactly(info);
            }
            else
            {
                file.Position += length;
            }

            if (last)
            {
                break;
            }
        }

        var samples = ((long)(info[13] & 0x0f) << 32) | ((long)info[14] << 24) | ((long)info[15] << 16) | ((long)info[16] << 8) | info[17];
        return new FlacStreamInfo(infoOffset, file.Position, (info[0] << 8) | info[1], (info[2] << 8) | info[3],
            (info[4] << 16) | (info[5] << 8) | info[6], (info[7] << 16) | (info[8] << 8) | info[9],
            (info[10] << 12) | (info[11] << 4) | (info[12] >> 4), ((info[12] >> 1) & 0x07) + 1, (((info[12] & 1) << 4) | (info[13] >> 4)) + 1, samples);
    }

    /// <summary>Rewrites STREAMINFO's frame sizes, sample count and MD5 in place (block sizes, rate, channels and depth stay).</summary>
    public static void WriteStreamInfo(Stream file, FlacStreamInfo at, int minFrame, int maxFrame, long samples, ReadOnlySpan<byte> md5)
    {
        var info = new byte[34];
        file.Position = at.Offset;
        file.ReadExactly(info);
        (info[4], info[5], info[6]) = ((byte)(minFrame >> 16), (byte)(minFrame >> 8), (byte)minFrame);
        (info[7], info[8], info[9]) = ((byte)(maxFrame >> 16), (byte)(maxFrame >> 8), (byte)maxFrame);
        info[13] = (byte)((info[13] & 0xf0) | (int)((samples >> 32) & 0x0f));
        (info[14], info[15], info[16], info[17]) = ((byte)(samples >> 24), (byte)(samples >> 16), (byte)(samples >> 8), (byte)samples);
        md5.CopyTo(info.AsSpan(18));
        file.Position = at.Offset;
        file.Write(info);
    }

    /// <summary>
    /// The frame header at the start of <paramref name="data"/> when its sync code, its fields and its CRC-8 are valid and
    /// it numbers frames (fixed-size blocks); null otherwise (the bytes are not a header, or need more data than given).
    /// </summary>
    public static FlacFrameHeader? Header(ReadOnlySpan<byte> data)
    {
        if (data.Length < 6 || data[0] != 0xff || data[1] != 0xf8)
        {
            return null;
        }

        var (sizeCode, rateCode) = (data[2] >> 4, data[2] & 0x0f);
        if (sizeCode == 0 || rateCode == 15 || (data[3] >> 4) > 10 || (data[3] & 0x01) != 0)
        {
            return null;
        }

        var first = data[4];
        var length = first < 0x80 ? 1 : first >= 0xfe ? 0 : 8 - (int)Math.Log2((byte)~first) - 1;
        if (length == 0 || (first & 0xc0) == 0x80 || 4 + length > data.Length)
        {
            return null;
        }

        long number = length == 1 ? first : first & (0x7f >> length);
        for (var k = 1; k < length; k++)
        {
            if ((data[4 + k] & 0xc0) != 0x80)
            {
                return null;
            }

            number = (number << 6) | (uint)(data[4 + k] & 0x3f);
        }

        var end = 4 + length;
        var samples = sizeCode switch
        {
            1 => 192,
            <= 5 => 576 << (sizeCode - 2),
            6 => end < data.Length ? data[end] + 1 : -1,
            7 => end + 1 < data.Length ? ((data[end] << 8) | data[end + 1]) + 1 : -1,
            _ => 256 << (sizeCode - 8),
        };
        end += sizeCode switch { 6 => 1, 7 => 2, _ => 0 } + rateCode switch { 12 => 1, 13 or 14 => 2, _ => 0 };
        if (samples < 0 || end >= data.Length || Crc8(data[..end]) != data[end])
        {
            return null;
        }

        return new FlacFrameHeader(number, 4, 4 + length, end + 1, samples);
    }

    /// <summary>A frame number in FLAC's UTF-8-like coding (up to 36 bits).</summary>
    public static byte[] CodeNumber(long number)
    {
        if (number < 0x80)
        {
            return [(byte)number];
        }

        var length = 2;
        while (number >= 1L << (5 * length + 1))
        {
            length++;
        }

        var coded = new byte[length];
        for (var k = length - 1; k > 0; k--)
        {
            coded[k] = (byte)(0x80 | (number & 0x3f));
            number >>= 6;
        }

        coded[0] = (byte)((0xff00 >> length) | (int)number);
        return coded;
    }

    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
            }
        }

        return (byte)crc;
    }

    /// <summary>FLAC's CRC-16 (polynomial 0x8005, MSB first, from 0) continued over <paramref name="data"/>, eight bytes a step.</summary>
    public static ushort Crc16(ushort crc, ReadOnlySpan<byte> data)
    {
        var t = Crc16Table;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            // The register's two bytes meet the next two data bytes; each byte's effect is looked up shifted by the
            // bytes that follow it in the step (slicing-by-8).
            crc = (ushort)(t[(7 << 8) | (data[i] ^ (crc >> 8))] ^ t[(6 << 8) | (data[i + 1] ^ (crc & 0xff))] ^ t[(5 << 8) | data[i + 2]]
                ^ t[(4 << 8) | data[i + 3]] ^ t[(3 << 8) | data[i + 4]] ^ t[(2 << 8) | data[i + 5]] ^ t[(1 << 8) | data[i + 6]] ^ t[data[i + 7]]);
        }

        for (; i < data.Length; i++)
        {
            crc = (ushort)((crc << 8) ^ t[(crc >> 8) ^ data[i]]);
        }

        return crc;
    }

    /// <summary>
    /// The CRC-16 of a frame whose first bytes changed from <paramref name="before"/> to <paramref name="after"/> (lengths
    /// may differ) and whose other <paramref name="rest"/> bytes did not, from the CRC it had: CRC is linear, so
    /// crc(H' + body) = crc(H + body) + (crc(H') + crc(H)) · x^(8·rest) mod the polynomial, without reading the body again.
    /// </summary>
    public static ushort Crc16Replaced(ushort crc, ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, long rest) =>
        (ushort)(crc ^ MultiplyMod((ushort)(Crc16(0, before) ^ Crc16(0, after)), PowerOfX(8 * rest)));

    // x^n mod P, by squaring.
    private static ushort PowerOfX(long n)
    {
        ushort result = 1;
        ushort square = 2; // x
        for (; n > 0; n >>= 1)
        {
            if ((n & 1) != 0)
            {
                result = MultiplyMod(result, square);
            }

            square = MultiplyMod(square, square);
        }

        return result;
    }

    // a · b mod P over GF(2), P = x^16 + x^15 + x^2 + 1.
    private static ushort MultiplyMod(ushort a, ushort b)
    {
        var product = 0;
        for (var bit = 15; bit >= 0; bit--)
        {
            product = (product & 0x8000) != 0 ? ((product << 1) ^ 0x8005) & 0xffff : (product << 1) & 0xffff;
            if ((b >> bit & 1) != 0)
            {
                product ^= a;
            }
        }

        return (ushort)product;
    }

    // Eight tables of 256: the first is a byte's CRC; table k is that byte followed by k zero bytes.
    private static ushort[] BuildCrc16()
    {
        var table = new ushort[8 * 256];
        for (var i = 0; i < 256; i++)
        {
            var crc = i << 8;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1;
            }

            table[i] = (ushort)crc;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = table[((k - 1) << 8) | i];
                table[(k << 8) | i] = (ushort)((previous << 8) ^ table[previous >> 8]);
            }
        }

        return table;
    }
}
