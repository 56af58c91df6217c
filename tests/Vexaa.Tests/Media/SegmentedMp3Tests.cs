using System.Text.Json;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

/// <summary>
/// Segment-parallel MP3 against the single pass of the same command: the same decoded sample count, and at every seam
/// nothing a listener could hear — no silence, no jump in level, no difference beyond the codec's own error.
/// </summary>
public sealed class SegmentedMp3Tests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory(Timeout = 300_000)]
    [InlineData("mp4", 48000, null, 2, 150)] // AAC at 48 kHz in MP4, encoded at its own rate
    [InlineData("mkv", 44100, "48000", 3, 200)] // AAC at 44.1 kHz in Matroska, resampled to 48 kHz
    public async Task A_long_mp3_in_segments_decodes_to_the_single_pass_samples_with_no_seam(string container, int rate, string? outRate, int segments, int seconds)
    {
        var input = _dir["talk." + container];
        // Tones that glide, noise, and gaps of silence: every kind of content is cut somewhere.
        await Proc.FfmpegAsync("-f", "lavfi", "-i", $"aevalsrc='if(lt(mod(t\\,23)\\,19)\\,0.3*sin(2*PI*(300+80*sin(t/3))*t)*sin(PI*t/7)\\,0)':s={rate}:d={seconds}",
            "-f", "lavfi", "-i", $"anoisesrc=a=0.04:d={seconds}:r={rate}:seed=7", "-filter_complex", "[0][1]amix=inputs=2,aformat=channel_layouts=stereo",
            "-c:a", "aac", "-b:a", "160k", "-metadata", "title=Lecture", "-metadata", "artist=Someone", input);
        string[] common = ["extract", input, "--format", "mp3", "--bitrate", "128k", "-y", "--json", .. outRate is null ? Array.Empty<string>() : ["--sample-rate", outRate]];

        var one = await Proc.VexaaAsync([.. common, "-o", _dir["one.mp3"], "--parallel", "1"]);
        var par = await Proc.VexaaAsync([.. common, "-o", _dir["par.mp3"], "--parallel", segments.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.True(par.ExitCode == 0, par.Stderr);
        Assert.Equal(1, Segments(one));
        Assert.Equal(segments, Segments(par));
        var single = await DecodeAsync(_dir["one.mp3"], "one");
        var parallel = await DecodeAsync(_dir["par.mp3"], "par");
        var source = await DecodeAsync(input, "source", outRate);
        Assert.Equal(single.Length, parallel.Length);
        Assert.Equal(source.Length, single.Length);

        const int window = 480; // 10 ms at 48 kHz
        var differing = 0;
        for (var at = 0; at + window <= single.Length; at += window)
        {
            var loud = Rms(single, at, window);
            var seam = RmsOfDifference(parallel, single, at, window);
            var codec = RmsOfDifference(single, source, at, window);
            differing += seam > 0 ? 1 : 0;
            var where = $"at {at / 48000.0:0.00} s: single-pass level {loud:0}, seam difference {seam:0.0}, the codec's own error {codec:0.0}";
            Assert.True(seam <= codec + 4, "more than coding noise " + where);
            if (loud > 200)
            {
                var level = 20 * Math.Log10(Math.Max(1e-9, Rms(parallel, at, window)) / loud);
                Assert.True(Math.Abs(level) < 1, $"level jumps by {level:0.00} dB " + where);
            }
        }

        // Whatever differs is near the seams (at most 2 s each): once an encoder has settled, its frames are the single
        // pass's, so often nothing differs at all.
        Assert.InRange(differing, 0, (segments - 1) * 200);
        Assert.Equal(await TagsAsync(_dir["one.mp3"]), await TagsAsync(_dir["par.mp3"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task What_cannot_be_spliced_is_encoded_in_one_pass()
    {
        var input = _dir["long.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=130", "-c:a", "aac", input);

        var normalised = await Proc.VexaaAsync(["extract", input, "-o", _dir["n.mp3"], "--normalize", "podcast", "--parallel", "2", "--json", "-y"]);
        var low = await Proc.VexaaAsync(["extract", input, "-o", _dir["low.mp3"], "--sample-rate", "22050", "--parallel", "2", "--json", "-y"]);
        var trimmed = await Proc.VexaaAsync(["extract", input, "-o", _dir["t.mp3"], "--start", "5", "--parallel", "2", "--json", "-y"]);
        var whole = await Proc.VexaaAsync(["extract", input, "-o", _dir["w.mp3"], "--parallel", "2", "--json", "-y"]);

        Assert.Equal(1, Segments(normalised)); // the loudness pass's gain is applied as one stream
        Assert.Equal(1, Segments(low)); // 22.05 kHz is MPEG-2, whose frames this splice does not handle
        Assert.Equal(1, Segments(trimmed));
        Assert.Equal(2, Segments(whole));
    }

    [Fact(Timeout = 120_000)]
    public async Task Segments_together_are_held_to_the_output_limit_and_leave_nothing_behind()
    {
        var input = _dir["long.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "anoisesrc=a=0.3:d=130:r=48000:seed=3", "-ac", "2", "-c:a", "aac", input);
        var folder = Directory.CreateDirectory(_dir["out"]).FullName;

        // 130 s at 320k is about 5 MB: each segment alone stays under 3 MB, both together do not.
        var r = await Proc.VexaaAsync(["extract", input, "-o", Path.Combine(folder, "big.mp3"), "--bitrate", "320k", "--parallel", "2", "--max-output-size", "3M"]);

        Assert.Equal(18, r.ExitCode);
        Assert.Contains("limit", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_lame_tag_of_a_single_pass_is_read_and_written_as_players_check_it()
    {
        var file = _dir["tone.mp3"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3", "-c:a", "libmp3lame", "-b:a", "128k", file);
        var bytes = await File.ReadAllBytesAsync(file);
        using var stream = new MemoryStream(bytes);
        var start = (int)Mp3Frames.AudioStart(stream);
        var info = Mp3Frames.Parse(bytes.AsSpan(start), start);
        Assert.NotNull(info);
        Assert.True(info.IsInfo);
        var frame = bytes.AsSpan(start, info.Length);
        var (delay, padding) = Mp3Frames.ReadGapless(frame, info.DataStart)!.Value;

        // The frames after the Info frame, less delay and padding, are the samples encoded: 3 s at 44.1 kHz.
        var frames = (bytes.Length - start - info.Length) / (double)info.Length;
        Assert.Equal(576, delay);
        Assert.Equal(132_300, (int)Math.Round(frames) * Mp3Frames.SamplesPerFrame - delay - padding);
        var lame = Mp3Frames.LameTagOffset(frame, info.DataStart);
        Assert.Equal((frame[lame + 34] << 8) | frame[lame + 35], Mp3Frames.TagCrc(frame, lame));

        // Written back with other values, the CRC follows them.
        var copy = frame.ToArray();
        Assert.True(Mp3Frames.WriteGapless(copy, info.DataStart, 576, 1000));
        Assert.Equal((576, 1000), Mp3Frames.ReadGapless(copy, info.DataStart));
        Assert.Equal((copy[lame + 34] << 8) | copy[lame + 35], Mp3Frames.TagCrc(copy, lame));
        Assert.NotEqual((frame[lame + 34] << 8) | frame[lame + 35], (copy[lame + 34] << 8) | copy[lame + 35]);
    }

    /// <summary>How many segments the first file of a CLI run's <c>--json</c> result was made of.</summary>
    internal static int Segments(Proc.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Stderr);
        var result = r.Stdout.Split('\n').Select(l => l.Trim()).Last(l => l.Contains("\"event\":\"result\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(result);
        return json.RootElement.GetProperty("files")[0].GetProperty("segments").GetInt32();
    }

    private async Task<short[]> DecodeAsync(string path, string name, string? rate = null)
    {
        var raw = _dir[name + ".raw"];
        await Proc.FfmpegAsync(["-i", path, .. rate is null ? Array.Empty<string>() : ["-ar", rate], "-ac", "1", "-f", "s16le", raw]);
        var bytes = await File.ReadAllBytesAsync(raw);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    private static async Task<string> TagsAsync(string path) =>
        (await Proc.RunAsync("ffprobe", ["-v", "error", "-show_entries", "format_tags", "-of", "json", path])).Stdout;

    private static double Rms(short[] a, int at, int n)
    {
        double sum = 0;
        for (var i = at; i < at + n; i++)
        {
            sum += (double)a[i] * a[i];
        }

        return Math.Sqrt(sum / n);
    }

    private static double RmsOfDifference(short[] a, short[] b, int at, int n)
    {
        double sum = 0;
        for (var i = at; i < at + n; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / n);
    }
}
