using System.Globalization;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

/// <summary>
/// Segment-parallel FLAC against the single pass of the same command: the very same bytes (frames, frame numbers,
/// CRCs, STREAMINFO with its MD5, tags, chapters, cover), so every seam is exact by construction.
/// </summary>
public sealed class SegmentedFlacTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory(Timeout = 300_000)]
    [InlineData("mp4", 48000, 2, 150, true)] // AAC at 48 kHz in MP4, with a cover
    [InlineData("mkv", 44100, 3, 200, false)] // AAC at 44.1 kHz in Matroska, with chapters, three segments
    public async Task A_long_flac_in_segments_is_the_single_pass_byte_for_byte(string container, int rate, int segments, int seconds, bool cover)
    {
        var input = _dir["talk." + container];
        var chapters = _dir["chapters.txt"];
        await File.WriteAllTextAsync(chapters,
            $";FFMETADATA1\ntitle=Lecture\nartist=Someone\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=70000\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=70000\nEND={seconds * 1000}\ntitle=Two\n");
        // Tones that glide, noise, and gaps of silence, so blocks of every kind (constant, fixed, LPC) meet at the seams.
        await Proc.FfmpegAsync("-f", "lavfi", "-i", $"aevalsrc='if(lt(mod(t\\,23)\\,19)\\,0.3*sin(2*PI*(300+80*sin(t/3))*t)*sin(PI*t/7)\\,0)':s={rate}:d={seconds}",
            "-f", "lavfi", "-i", $"anoisesrc=a=0.04:d={seconds}:r={rate}:seed=7", "-i", chapters,
            "-filter_complex", "[0][1]amix=inputs=2,aformat=channel_layouts=stereo", "-map_metadata", "2", "-map_chapters", "2", "-c:a", "aac", "-b:a", "160k", input);
        string[] common = ["extract", input, "--format", "flac", "-y", "--json"];
        if (cover)
        {
            await Proc.FfmpegAsync("-f", "lavfi", "-i", "color=c=orange:s=300x300:d=1", "-frames:v", "1", _dir["cover.png"]);
            common = [.. common, "--cover", _dir["cover.png"]];
        }

        var one = await Proc.VexaaAsync([.. common, "-o", _dir["one.flac"], "--parallel", "1"]);
        var par = await Proc.VexaaAsync([.. common, "-o", _dir["par.flac"], "--parallel", segments.ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(1, Segments(one));
        Assert.Equal(segments, Segments(par));
        var single = await File.ReadAllBytesAsync(_dir["one.flac"]);
        var parallel = await File.ReadAllBytesAsync(_dir["par.flac"]);
        Assert.Equal(single.Length, parallel.Length);
        var first = Enumerable.Range(0, single.Length).FirstOrDefault(i => single[i] != parallel[i], -1);
        Assert.True(first < 0, $"the files differ first at byte {first} of {single.Length}");
        // And what they are is right: every frame's CRC checks, the MD5 is the decoded samples', the tags came along.
        var check = await Proc.RunAsync("ffmpeg", ["-v", "error", "-err_detect", "crccheck+explode", "-i", _dir["par.flac"], "-f", "null", "-"]);
        Assert.True(check.ExitCode == 0 && check.Stderr.Length == 0, check.Stderr);
        var md5 = await Proc.RunAsync("ffmpeg", ["-v", "error", "-i", _dir["par.flac"], "-map", "0:a", "-c:a", "pcm_s24le", "-f", "md5", "-"]);
        Assert.Equal("MD5=" + Convert.ToHexStringLower(parallel.AsSpan(8 + 18, 16)), md5.Stdout.Trim());
        var tags = (await Proc.RunAsync("ffprobe", ["-v", "error", "-show_entries", "format_tags=title:chapter", "-show_chapters", "-of", "json", _dir["par.flac"]])).Stdout;
        Assert.Contains("Lecture", tags, StringComparison.Ordinal);
        Assert.Contains("\"Two\"", tags, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task What_cannot_be_joined_exactly_is_encoded_in_one_pass()
    {
        var input = _dir["long.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=130", "-ac", "2", "-c:a", "aac", input);
        var wav = _dir["long.wav"];
        await Proc.FfmpegAsync("-i", input, "-c:a", "pcm_s16le", wav);
        var shorter = _dir["short.mp4"];
        await Proc.FfmpegAsync("-i", input, "-t", "100", "-c", "copy", shorter);

        Task<Proc.Result> Extract(string from, string name, params string[] options) =>
            Proc.VexaaAsync(["extract", from, "-o", _dir[name], "--format", "flac", "--parallel", "2", "--json", "-y", .. options]);

        Assert.Equal(1, Segments(await Extract(input, "resampled.flac", "--sample-rate", "44100"))); // a resampler restarted at a cut
        Assert.Equal(1, Segments(await Extract(wav, "from16.flac"))); // 16-bit samples: another block grid and MD5 width
        Assert.Equal(1, Segments(await Extract(shorter, "short.flac"))); // under a minute for each segment
        Assert.Equal(1, Segments(await Extract(input, "normalised.flac", "--normalize", "podcast")));
        Assert.Equal(2, Segments(await Extract(input, "whole.flac")));
    }

    [Fact(Timeout = 180_000)]
    public async Task Segments_together_are_held_to_the_output_limit_and_leave_nothing_behind()
    {
        var input = _dir["noise.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "anoisesrc=a=0.3:d=130:r=48000:seed=3", "-ac", "2", "-c:a", "aac", "-b:a", "256k", input);
        var whole = await Proc.VexaaAsync(["extract", input, "-o", _dir["whole.flac"], "--parallel", "1", "-y"]);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        var folder = Directory.CreateDirectory(_dir["out"]).FullName;

        // Each segment alone stays under the limit (at most two thirds of the whole); both together do not.
        var limit = (long)(new FileInfo(_dir["whole.flac"]).Length * 0.8);
        var r = await Proc.VexaaAsync(["extract", input, "-o", Path.Combine(folder, "big.flac"), "--parallel", "2", "--max-output-size", limit.ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(18, r.ExitCode);
        Assert.Contains("limit", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact(Timeout = 60_000)]
    public async Task Frames_cut_from_one_stream_and_renumbered_join_into_it_and_a_segment_off_the_grid_is_refused()
    {
        // 20 s at 48 kHz is 208 blocks of 4608: frames from 100 on are numbered in two bytes in the whole, one in the segment.
        const int cut = 100 * SegmentPlanner.FlacBlock;
        string[] source = ["-f", "lavfi", "-i", "sine=frequency=523:sample_rate=48000:duration=20", "-af", "aformat=sample_fmts=fltp:channel_layouts=stereo"];
        await Proc.FfmpegAsync([.. source, "-c:a", "flac", "-map_metadata", "-1", _dir["whole.flac"]]);
        await Proc.FfmpegAsync([.. source[..^2], "-af", $"aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=end_sample={cut}", "-c:a", "flac", "-map_metadata", "-1", _dir["first.flac"]]);
        await Proc.FfmpegAsync([.. source[..^2], "-af", $"aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=start_sample={cut}", "-c:a", "flac", "-map_metadata", "-1", "-f", "flac", _dir["later.flac"]]);
        var md5 = (await Proc.RunAsync("ffmpeg", ["-v", "error", .. source, "-c:a", "pcm_s24le", "-f", "md5", "-"])).Stdout.Trim()[4..];
        File.Copy(_dir["first.flac"], _dir["first-copy.flac"]);

        var samples = FlacSplicer.Join(_dir["first.flac"], cut, [new FlacSegment(_dir["later.flac"], 100, null)], Convert.FromHexString(md5));

        Assert.Equal(20 * 48000, samples);
        Assert.Equal(await File.ReadAllBytesAsync(_dir["whole.flac"]), await File.ReadAllBytesAsync(_dir["first.flac"]));
        // Planned at another cut, the segments are not used (the caller then encodes in one pass).
        Assert.Null(FlacSplicer.Join(_dir["first-copy.flac"], cut - SegmentPlanner.FlacBlock, [new FlacSegment(_dir["later.flac"], 99, null)], new byte[16]));
        Assert.Null(FlacSplicer.Join(_dir["first-copy.flac"], cut, [new FlacSegment(_dir["later.flac"], 100, 5 * SegmentPlanner.FlacBlock)], new byte[16]));
    }

    private static int Segments(Proc.Result r) => SegmentedMp3Tests.Segments(r);
}
