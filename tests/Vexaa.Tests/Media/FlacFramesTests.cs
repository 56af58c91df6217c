using Vexaa.Media;

namespace Vexaa.Tests.Media;

/// <summary>The pieces of the FLAC format the splice relies on, against their definitions.</summary>
public sealed class FlacFramesTests
{
    [Fact]
    public void The_eight_bytes_a_step_crc_is_the_bit_by_bit_crc_and_a_changed_header_s_crc_follows_from_the_old_one()
    {
        var random = new Random(5);
        foreach (var length in new[] { 0, 1, 7, 8, 9, 63, 4097 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(BitByBit(data), FlacFrames.Crc16(0, data));
            Assert.Equal(BitByBit(data), FlacFrames.Crc16(FlacFrames.Crc16(0, data.AsSpan(0, length / 3)), data.AsSpan(length / 3)));
        }

        var body = new byte[5000];
        random.NextBytes(body);
        byte[] before = [0xff, 0xf8, 0x59, 0x1c, 0x7f, 0x33];
        byte[] after = [0xff, 0xf8, 0x59, 0x1c, 0xc2, 0x80, 0x91];
        Assert.Equal(BitByBit([.. after, .. body]), FlacFrames.Crc16Replaced(BitByBit([.. before, .. body]), before, after, body.Length));
    }

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(127L, 1)]
    [InlineData(128L, 2)]
    [InlineData(2047L, 2)]
    [InlineData(2048L, 3)]
    [InlineData(65536L, 4)]
    [InlineData(2_147_483_647L, 6)]
    public void A_frame_number_is_coded_as_the_format_says_and_read_back_from_a_header(long number, int length)
    {
        var coded = FlacFrames.CodeNumber(number);
        Assert.Equal(length, coded.Length);

        // Blocks of 4608 at 48 kHz, stereo, 24 bits: a header with this number and its CRC-8.
        byte[] head = [0xff, 0xf8, 0x5a, 0x1c, .. coded];
        byte[] header = [.. head, FlacFrames.Crc8(head), 0, 0];
        var parsed = FlacFrames.Header(header);
        Assert.NotNull(parsed);
        Assert.Equal(number, parsed.Value.Number);
        Assert.Equal(4608, parsed.Value.Samples);
        Assert.Equal(head.Length + 1, parsed.Value.End);

        header[head.Length] ^= 1; // a wrong CRC-8: not a header
        Assert.Null(FlacFrames.Header(header));
    }

    private static ushort BitByBit(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                var top = ((crc >> 15) ^ (b >> bit)) & 1;
                crc = ((crc << 1) & 0xffff) ^ (top != 0 ? 0x8005 : 0);
            }
        }

        return (ushort)crc;
    }
}
