using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>Reads the cover art out of outputs as a player would, for the cover tests.</summary>
internal static class CoverPictures
{
    /// <summary>The output's picture as its own JPEG file: the attached picture (mp3, m4a, flac) or, for Ogg, decoded from METADATA_BLOCK_PICTURE by hand.</summary>
    public static async Task<string> ExtractAsync(string output, string folder)
    {
        var jpeg = Path.Combine(folder, Path.GetFileName(output) + ".cover.jpg");
        if (output.EndsWith(".opus", StringComparison.Ordinal) || output.EndsWith(".ogg", StringComparison.Ordinal))
        {
            var block = Convert.FromBase64String(OggComment(await File.ReadAllBytesAsync(output), "METADATA_BLOCK_PICTURE"));
            Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(block)); // front cover
            var mimeLength = (int)BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(4));
            Assert.Equal("image/jpeg", Encoding.ASCII.GetString(block, 8, mimeLength));
            var at = 8 + mimeLength;
            at += 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(at)); // description
            var (width, height) = (BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(at)), BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(at + 4)));
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(at + 16));
            Assert.Equal(block.Length, at + 20 + length);
            await File.WriteAllBytesAsync(jpeg, block[(at + 20)..]);
            var (w, h) = await SizeAsync(jpeg);
            Assert.Equal((width, height), ((uint)w, (uint)h));
            return jpeg;
        }

        var streams = await StreamsAsync(output);
        var picture = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "video");
        Assert.Equal("mjpeg", picture.GetProperty("codec_name").GetString());
        Assert.Equal(1, picture.GetProperty("disposition").GetProperty("attached_pic").GetInt32());
        await Proc.FfmpegAsync("-i", output, "-map", "0:v", "-c", "copy", "-f", "mjpeg", jpeg);
        return jpeg;
    }

    /// <summary>The picture's size, as ffprobe decodes it (which fails for anything but a whole JPEG).</summary>
    public static async Task<(int Width, int Height)> SizeAsync(string jpeg)
    {
        var r = await Proc.RunAsync("ffmpeg", ["-v", "error", "-f", "mjpeg", "-i", jpeg, "-f", "null", "-"]);
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, r.Stderr);
        var stream = Assert.Single(await StreamsAsync(jpeg));
        Assert.Equal("mjpeg", stream.GetProperty("codec_name").GetString());
        return (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
    }

    /// <summary>The picture's mean luma, 0–255, measured by signalstats.</summary>
    public static async Task<double> LumaAsync(string picture, string? at = null)
    {
        string[] seek = at is null ? [] : ["-ss", at];
        var r = await Proc.RunAsync("ffmpeg", ["-v", "info", "-hide_banner", .. seek, "-i", picture, "-frames:v", "1",
            "-vf", "format=yuvj420p,signalstats,metadata=print:key=lavfi.signalstats.YAVG", "-f", "null", "-"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var line = r.Stderr.Split('\n').First(l => l.Contains("lavfi.signalstats.YAVG=", StringComparison.Ordinal));
        return double.Parse(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<List<JsonElement>> StreamsAsync(string path)
    {
        var r = await Proc.RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return [.. JsonDocument.Parse(r.Stdout).RootElement.GetProperty("streams").EnumerateArray()];
    }

    /// <summary>A Vorbis comment of an Ogg file's second packet (OpusTags or the Vorbis comment header), read page by page.</summary>
    private static string OggComment(byte[] ogg, string key)
    {
        var packets = new List<List<byte>> { new() };
        for (var at = 0; at < ogg.Length && packets.Count < 4;)
        {
            Assert.Equal("OggS", Encoding.ASCII.GetString(ogg, at, 4));
            var segments = ogg[at + 26];
            var body = at + 27 + segments;
            for (var i = 0; i < segments; i++)
            {
                var size = ogg[at + 27 + i];
                packets[^1].AddRange(ogg.AsSpan(body, size).ToArray());
                body += size;
                if (size < 255)
                {
                    packets.Add([]);
                }
            }

            at = body;
        }

        var comments = packets[1].ToArray();
        var start = comments[0] == 3 ? 7 : 8; // "\x03vorbis" or "OpusTags"
        var vendor = (int)BinaryPrimitives.ReadUInt32LittleEndian(comments.AsSpan(start));
        var position = start + 4 + vendor;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(comments.AsSpan(position));
        position += 4;
        for (var i = 0; i < count; i++)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(comments.AsSpan(position));
            var comment = Encoding.UTF8.GetString(comments, position + 4, length);
            position += 4 + length;
            if (comment.StartsWith(key + "=", StringComparison.OrdinalIgnoreCase))
            {
                return comment[(key.Length + 1)..];
            }
        }

        throw new Xunit.Sdk.XunitException($"No {key} comment in the Ogg file.");
    }
}
