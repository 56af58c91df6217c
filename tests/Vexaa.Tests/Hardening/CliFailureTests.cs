using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>The CLI's failures are one line and a documented exit code; odd names are files, not options.</summary>
[Collection(MediaCollection.Name)]
public sealed class CliFailureTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    private static void AssertOneLine(Proc.Result r, int exitCode, string contains)
    {
        Assert.True(exitCode == r.ExitCode, $"expected exit {exitCode}, got {r.ExitCode}: {r.Stderr}");
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("vexaa: ", StringComparison.Ordinal));
        Assert.Contains(contains, line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_output_in_a_folder_that_does_not_exist_is_one_line_and_exit_6()
    {
        var r = await VexaaAsync("extract", media["good-h264-aac.mp4"], "-o", Path.Combine(_out.Path, "missing", "deeper", "out.mp3"));
        AssertOneLine(r, 6, "does not exist");
    }

    [Theory(Timeout = 60_000)]
    [InlineData(240)]
    [InlineData(300)]
    public async Task An_output_name_longer_than_the_file_system_allows_is_one_line_and_exit_6_or_works(int length)
    {
        var name = new string('a', length) + ".mp3";
        var r = await VexaaAsync("extract", media["good-h264-aac.mp4"], "-o", name);
        if (length + 4 <= 255)
        {
            // The name itself fits: the hidden temporary name beside it must fit too.
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.True(File.Exists(_out[name]));
        }
        else
        {
            AssertOneLine(r, 6, "too long");
        }

        Assert.Empty(Directory.GetFiles(_out.Path, "*.part"));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_input_named_like_an_option_is_read_as_a_file_bare_after_double_dash_or_with_a_path()
    {
        File.Copy(media["good-h264-aac.mp4"], _out["-y.mp4"]);

        var bare = await VexaaAsync("extract", "-y.mp4", "-o", "bare.mp3");
        var dashed = await VexaaAsync("extract", "--", "-y.mp4");
        var pathed = await VexaaAsync("extract", "./-y.mp4", "-o", "pathed.mp3");

        Assert.True(bare.ExitCode == 0, bare.Stderr);
        Assert.True(dashed.ExitCode == 0, dashed.Stderr);
        Assert.True(pathed.ExitCode == 0, pathed.Stderr);
        Assert.Equal("mp3", (await Proc.ProbeAsync(_out["bare.mp3"])).Codec);
        Assert.Equal("mp3", (await Proc.ProbeAsync(_out["-y.mp3"])).Codec);
        Assert.Equal("mp3", (await Proc.ProbeAsync(_out["pathed.mp3"])).Codec);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_input_whose_timestamps_jump_backwards_is_not_refused_as_too_long()
    {
        // Two MPEG-TS recordings joined, the second starting 1000 s before the first: the header's duration is ~26 h.
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "5", "-c:a", "aac", "-output_ts_offset", "1000", "-f", "mpegts", _out["a.ts"]);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "5", "-c:a", "aac", "-f", "mpegts", _out["b.ts"]);
        await File.WriteAllBytesAsync(_out["joined.ts"], [.. await File.ReadAllBytesAsync(_out["a.ts"]), .. await File.ReadAllBytesAsync(_out["b.ts"])]);

        var r = await VexaaAsync("extract", "joined.ts", "-o", "joined.mp3");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.InRange((await Proc.ProbeAsync(_out["joined.mp3"])).Duration, 9, 11);
        // A really long input is still refused, and the limit is printed as it was given.
        var limited = await VexaaAsync("extract", "joined.ts", "-o", "limited.mp3", "--max-duration", "0:05");
        AssertOneLine(limited, 17, "0:05");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_wrapper_without_dotnet_exits_69_not_the_ffmpeg_missing_code()
    {
        // A PATH with the shell tools the wrapper uses, and no dotnet.
        var bin = Directory.CreateDirectory(_out["bin"]).FullName;
        foreach (var tool in new[] { "bash", "dirname" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), "/usr/bin/" + tool);
        }

        var r = await Proc.RunAsync("/usr/bin/bash", [Path.Combine(Repository.Root, "vexaa"), "probe", "x.mp4"], env: new Dictionary<string, string> { ["PATH"] = bin });

        Assert.Equal(69, r.ExitCode);
        Assert.Contains(".NET 10 SDK", r.Stderr, StringComparison.Ordinal);
    }
}
