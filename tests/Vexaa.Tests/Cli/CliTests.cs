using System.Diagnostics;
using System.Text.Json;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Cli;

[Collection(MediaCollection.Name)]
public sealed class CliTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    private static void AssertOneLineError(Proc.Result r, int exitCode)
    {
        Assert.True(exitCode == r.ExitCode, $"expected exit {exitCode}, got {r.ExitCode}: {r.Stderr}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines, l => l.StartsWith("vexaa: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        Assert.True(line.Length < 400, line);
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_prints_a_readable_summary_of_every_audio_track()
    {
        var r = await VexaaAsync("probe", media["good-two-audio-tracks.mp4"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Audio 0", r.Stdout);
        Assert.Contains("Audio 1", r.Stdout);
        Assert.Contains("deu", r.Stdout);
        Assert.Contains("0:05", r.Stdout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_json_is_machine_readable()
    {
        var r = await VexaaAsync("probe", media["chapters.mkv"], "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("opus", doc.RootElement.GetProperty("audioTracks")[0].GetProperty("codec").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("chapters").GetArrayLength());
        Assert.InRange(doc.RootElement.GetProperty("duration").GetDouble(), 4.9, 5.1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Extract_takes_the_format_from_the_output_name()
    {
        var r = await VexaaAsync("extract", media["good-h264-aac.mp4"], "-o", "talk.mp3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("talk.mp3", r.Stdout);
        Assert.Equal("mp3", (await Proc.ProbeAsync(_out["talk.mp3"])).Codec);
    }

    [Fact(Timeout = 90_000)]
    public async Task Several_inputs_go_into_a_folder_in_parallel()
    {
        var r = await VexaaAsync("extract", media["good-h264-aac.mp4"], media["good-h264-opus.mkv"], media["good-mpeg4-mp3.avi"], "-o", "out/", "--format", "opus", "-j", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["good-h264-aac.opus", "good-h264-opus.opus", "good-mpeg4-mp3.opus"], Directory.GetFiles(_out["out"]).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(_out["out"]))
        {
            Assert.Equal("opus", (await Proc.ProbeAsync(file)).Codec);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Json_output_reports_progress_and_a_result_per_input()
    {
        var r = await VexaaAsync("extract", media["long-30s.m4a"], "-o", "a.ogg", "--json", "--normalize", "podcast");
        Assert.Equal(0, r.ExitCode);
        var events = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "progress");
        var result = events[^1];
        Assert.Equal("result", result.GetProperty("event").GetString());
        var file = result.GetProperty("files")[0];
        Assert.Equal(_out["a.ogg"], file.GetProperty("path").GetString());
        var loudness = file.GetProperty("loudness");
        Assert.InRange(loudness.GetProperty("output").GetProperty("integratedLufs").GetDouble(), -17, -15);
        Assert.True(loudness.GetProperty("targetMet").GetBoolean(), loudness.ToString());
        Assert.Equal(-16, loudness.GetProperty("targetLufs").GetDouble());
        Assert.Equal(loudness.GetProperty("output").GetProperty("integratedLufs").GetDouble() - loudness.GetProperty("input").GetProperty("integratedLufs").GetDouble(),
            loudness.GetProperty("gainDb").GetDouble(), 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Human_output_tells_the_loudness_before_and_after_and_whether_the_target_was_met()
    {
        var r = await VexaaAsync("extract", media["long-30s.m4a"], "-o", "a.mp3", "--normalize", "podcast");

        Assert.Equal(0, r.ExitCode);
        var summary = (r.Stdout + "\n" + r.Stderr).Split('\n').Last(l => l.Contains(" → ", StringComparison.Ordinal));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(summary, @"loudness -?\d+\.\d LUFS → -1[5-6]\.\d LUFS \([+-]\d+\.\d dB\), range \d+\.\d → \d+\.\d LU, true peak -?\d+\.\d → -\d+\.\d dBTP: podcast target met"), summary);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("broken-empty.mp4", MediaError.EmptyFile)]
    [InlineData("broken-text.mp4", MediaError.NotMedia)]
    [InlineData("broken-random.mp4", MediaError.CorruptMedia)]
    [InlineData("broken-truncated.mp4", MediaError.TruncatedMedia)]
    [InlineData("broken-no-audio.mp4", MediaError.NoAudioStream)]
    [InlineData("hostile-playlist.mp4", MediaError.UnsupportedContainer)]
    [InlineData("hostile-concat.mp4", MediaError.UnsupportedContainer)]
    [InlineData("missing.mp4", MediaError.InputNotFound)]
    public async Task Each_bad_input_gets_one_line_and_its_exit_code_and_leaves_no_file(string input, MediaError error)
    {
        var r = await VexaaAsync("extract", media[input], "-o", "x.mp3");
        AssertOneLineError(r, error.ExitCode());
        Assert.Empty(_out.Files());
    }

    [Theory(Timeout = 60_000)]
    [InlineData(MediaError.InvalidOption, "--bitrate", "191k")]
    [InlineData(MediaError.InvalidOption, "--bitrate", "192k -i /etc/passwd")]
    [InlineData(MediaError.InvalidOption, "--sample-rate", "96000")]
    [InlineData(MediaError.InvalidOption, "--start", "4", "--end", "2")]
    [InlineData(MediaError.InvalidOption, "--format", "wma")]
    [InlineData(MediaError.InvalidOption, "--channels", "6")]
    [InlineData(MediaError.InvalidOption, "--tag", "novalue")]
    [InlineData(MediaError.InvalidOption, "--no-such-option")]
    [InlineData(MediaError.TrackNotFound, "--track", "3")]
    [InlineData(MediaError.TrackNotFound, "--language", "fra")]
    [InlineData(MediaError.DurationLimitExceeded, "--max-duration", "2")]
    [InlineData(MediaError.OutputSizeLimitExceeded, "--max-output-size", "10k")]
    public async Task Bad_options_and_limits_get_one_line_and_their_exit_code(MediaError error, params string[] options)
    {
        var r = await VexaaAsync(["extract", media["good-h264-aac.mp4"], "-o", "x.mp3", .. options]);
        AssertOneLineError(r, error.ExitCode());
        Assert.Empty(_out.Files());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_existing_output_needs_overwrite()
    {
        await File.WriteAllTextAsync(_out["x.mp3"], "keep me");
        AssertOneLineError(await VexaaAsync("extract", media["good-h264-aac.mp4"], "-o", "x.mp3"), MediaError.OutputExists.ExitCode());
        Assert.Equal("keep me", await File.ReadAllTextAsync(_out["x.mp3"]));
        Assert.Equal(0, (await VexaaAsync("extract", media["good-h264-aac.mp4"], "-o", "x.mp3", "--overwrite")).ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_file_named_like_an_option_with_shell_syntax_is_extracted_safely()
    {
        File.Copy(media[TestMedia.WeirdName], _out[TestMedia.WeirdName]);
        var r = await VexaaAsync("extract", "./" + TestMedia.WeirdName, "--format", "m4a");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("aac", (await Proc.ProbeAsync(_out[Path.ChangeExtension(TestMedia.WeirdName, ".m4a")])).Codec);
        Assert.False(File.Exists(_out["pwned"]));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_timeout_stops_the_run_with_its_exit_code()
    {
        var r = await VexaaAsync("extract", media["long-30s.m4a"], "-o", "x.flac", "--normalize", "podcast", "--timeout", "0.1");
        AssertOneLineError(r, MediaError.Timeout.ExitCode());
        Assert.Empty(_out.Files());
    }

    [Fact(Timeout = 120_000)]
    public async Task Ctrl_c_stops_ffmpeg_and_leaves_nothing_behind()
    {
        var input = _out["ten-minutes.m4a"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "600", "-c:a", "aac", input);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, WorkingDirectory = _out.Path };
        foreach (var a in new[] { Proc.VexaaDll, "extract", input, "-o", "x.flac", "--normalize", "podcast" })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        // Stderr is not a terminal here, so progress comes as plain lines; the first one means ffmpeg is running.
        var line = await process.StandardError.ReadLineAsync();
        Assert.Contains("measuring loudness", line);
        Assert.NotEmpty(Processes.WithArgument(input));
        await Proc.RunAsync("kill", ["-INT", process.Id.ToString()]);
        var rest = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(MediaError.Canceled.ExitCode(), process.ExitCode);
        Assert.Contains("canceled", rest);
        Assert.Equal(["ten-minutes.m4a"], _out.Files());
        Assert.Empty(Directory.GetFiles(_out.Path, ".*"));
        Assert.Empty(Processes.WithArgument(input));
    }
}
