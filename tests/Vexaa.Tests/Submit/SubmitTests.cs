using Vexaa.Tests.Support;

namespace Vexaa.Tests.Submit;

/// <summary>`vexaa submit` against a real server: what comes back, and that sending only the audio changes nothing in it.</summary>
[Collection(MediaCollection.Name)]
public sealed class SubmitTests(TestMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _dir = new();
    private SubmitCli? _cli;

    private SubmitCli Cli => _cli ??= new SubmitCli(shared.Server.BaseAddress, shared.Server.AdminKey, _dir.Path);

    public void Dispose()
    {
        _cli?.Dispose();
        _dir.Dispose();
    }

    private string Copy(string name)
    {
        var path = _dir[name];
        File.Copy(media[name], path);
        return path;
    }

    [Fact(Timeout = 120_000)]
    public async Task Submit_converts_on_the_server_and_downloads_the_result_beside_the_input()
    {
        var input = Copy("good-h264-aac.mp4");

        var r = await Cli.RunAsync([input, "--format", "mp3", "--bitrate", "128k"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        var output = _dir["good-h264-aac.mp3"];
        var probed = await Proc.ProbeAsync(output);
        Assert.Equal("mp3", probed.Codec);
        Assert.Contains(output, r.Stdout);
        Assert.Contains("sending only the audio", r.Stderr);
        Assert.False(File.Exists(Cli.StateFile) && (await File.ReadAllTextAsync(Cli.StateFile)).Contains("http", StringComparison.Ordinal), "a used upload is forgotten");
    }

    [Theory(Timeout = 180_000)]
    [InlineData("good-h264-aac.mp4", "flac")]
    [InlineData("good-h264-opus.mkv", "wav")]
    [InlineData("good-mpeg4-mp3.avi", "flac")]
    [InlineData("chapters.mkv", "original")]
    public async Task Audio_only_upload_gives_the_same_decoded_samples_as_the_whole_file(string name, string format)
    {
        var input = Copy(name);

        var audio = await Cli.RunAsync([input, "--format", format, "-o", _dir.Path + "/audio/", "--json"]);
        var whole = await Cli.RunAsync([input, "--format", format, "-o", _dir.Path + "/whole/", "--json", "--upload-whole"]);

        Assert.True(audio.ExitCode == 0, audio.Stderr);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        var sentAudio = SubmitCli.Events(audio).Single(e => SubmitCli.Event(e) == "upload");
        var sentWhole = SubmitCli.Events(whole).Single(e => SubmitCli.Event(e) == "upload");
        Assert.True(sentAudio.GetProperty("audioOnly").GetBoolean());
        Assert.False(sentWhole.GetProperty("audioOnly").GetBoolean());
        Assert.True(sentAudio.GetProperty("bytes").GetInt64() < sentWhole.GetProperty("bytes").GetInt64());
        var a = Directory.GetFiles(_dir["audio"]).Single();
        var w = Directory.GetFiles(_dir["whole"]).Single();
        Assert.Equal(Path.GetFileName(w), Path.GetFileName(a));
        Assert.Equal(await SubmitCli.DecodedAsync(w), await SubmitCli.DecodedAsync(a));
    }

    [Theory(Timeout = 180_000)]
    [InlineData("good-h264-aac.mp4", "mp3")]
    [InlineData("good-h264-opus.mkv", "opus")]
    [InlineData("good-two-audio-tracks.mp4", "ogg")]
    public async Task Audio_only_upload_of_a_lossy_conversion_lasts_the_same_to_the_sample(string name, string format)
    {
        var input = Copy(name);

        var audio = await Cli.RunAsync([input, "--format", format, "-o", _dir.Path + "/audio/", "--language", name.Contains("two") ? "deu" : "und"]);
        var whole = await Cli.RunAsync([input, "--format", format, "-o", _dir.Path + "/whole/", "--upload-whole", "--language", name.Contains("two") ? "deu" : "und"]);

        if (!name.Contains("two"))
        {
            // No track in "und": the same refusal, with the same exit code, either way (planned locally, or on the server).
            Assert.Equal(16, audio.ExitCode);
            Assert.Equal(16, whole.ExitCode);
            audio = await Cli.RunAsync([input, "--format", format, "-o", _dir.Path + "/audio/"]);
            whole = await Cli.RunAsync([input, "--format", format, "-o", _dir.Path + "/whole/", "--upload-whole"]);
        }

        Assert.True(audio.ExitCode == 0, audio.Stderr);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        var a = await SubmitCli.DecodedAsync(Directory.GetFiles(_dir["audio"]).Single());
        var w = await SubmitCli.DecodedAsync(Directory.GetFiles(_dir["whole"]).Single());
        Assert.Equal(w.Samples, a.Samples);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_container_the_local_ffmpeg_cannot_read_is_sent_whole_and_the_servers_verdict_keeps_extracts_exit_code()
    {
        var input = Copy("broken-random.mp4");

        var r = await Cli.RunAsync([input, "--json"]);

        var sent = SubmitCli.Events(r).Single(e => SubmitCli.Event(e) == "upload");
        Assert.False(sent.GetProperty("audioOnly").GetBoolean());
        Assert.Contains("could not be read here", sent.GetProperty("reason").GetString());
        Assert.Equal(new FileInfo(input).Length, sent.GetProperty("bytes").GetInt64());
        // The server's reason is the one extract gives for the same file, and so is the exit code.
        var extract = await Proc.VexaaAsync(["extract", input, "--json", "-o", _dir.Path + "/x/"], _dir.Path);
        var expected = SubmitCli.Events(extract).Single(e => SubmitCli.Event(e) == "error");
        Assert.NotEqual(0, extract.ExitCode);
        Assert.True(r.ExitCode == extract.ExitCode, r.Stderr);
        var error = SubmitCli.Events(r).Single(e => SubmitCli.Event(e) == "error");
        Assert.Equal(expected.GetProperty("code").GetString(), error.GetProperty("code").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_a_local_ffmpeg_the_whole_file_is_sent_and_converted()
    {
        var input = Copy("good-h264-opus.mkv");

        var r = await Cli.RunAsync([input, "-f", "opus"], new() { ["VEXAA_FFMPEG"] = "/nonexistent/ffmpeg" });

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("sending the whole file", r.Stderr);
        Assert.Contains("ffmpeg is not installed here", r.Stderr);
        Assert.Equal("opus", (await Proc.ProbeAsync(_dir["good-h264-opus.opus"])).Codec);
    }

    [Fact(Timeout = 180_000)]
    public async Task Submitting_the_same_input_again_is_answered_by_the_servers_reuse()
    {
        // A clip no other test makes, so the reuse found is this test's own.
        var input = _dir["unique.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-i", $"sine=frequency={Random.Shared.Next(200, 2000)}:sample_rate=48000",
            "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", input);
        var reusedBefore = Count(shared.Server.Output, "reused the results");

        var first = await Cli.RunAsync([input, "-f", "mp3", "-o", _dir.Path + "/1/"]);
        var second = await Cli.RunAsync([input, "-f", "mp3", "-o", _dir.Path + "/2/"]);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(reusedBefore + 1, Count(shared.Server.Output, "reused the results"));
        Assert.Equal(await File.ReadAllBytesAsync(_dir["1/unique.mp3"]), await File.ReadAllBytesAsync(_dir["2/unique.mp3"]));
    }

    [Fact(Timeout = 180_000)]
    public async Task Several_inputs_run_at_once_and_json_lines_describe_each()
    {
        var inputs = new[] { Copy("good-h264-aac.mp4"), Copy("good-mpeg4-mp3.avi"), Copy("surround-ac3.mkv") };

        var r = await Cli.RunAsync([.. inputs, "-j", "3", "--json", "-f", "m4a", "-o", _dir.Path + "/out/"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        var events = SubmitCli.Events(r);
        Assert.All(events, e => Assert.Contains(SubmitCli.Event(e), new[] { "upload", "progress", "notice", "resumed", "result" }));
        var results = events.Where(e => SubmitCli.Event(e) == "result").ToList();
        Assert.Equal(inputs.Order(), results.Select(e => e.GetProperty("input").GetString()!).Order());
        foreach (var result in results)
        {
            var file = Assert.Single(result.GetProperty("files").EnumerateArray());
            var path = file.GetProperty("path").GetString()!;
            Assert.Equal(new FileInfo(path).Length, file.GetProperty("size").GetInt64());
            Assert.Equal("aac", (await Proc.ProbeAsync(path)).Codec);
        }

        // The audio-only file of an audio-only input would gain nothing: it goes as it is.
        Assert.All(events.Where(e => SubmitCli.Event(e) == "upload"), e => Assert.Equal(!e.GetProperty("input").GetString()!.Contains("surround"), e.GetProperty("audioOnly").GetBoolean()));
    }

    [Fact(Timeout = 120_000)]
    public async Task Options_are_checked_before_anything_is_sent_with_extracts_messages_and_exit_codes()
    {
        var input = Copy("good-h264-aac.mp4");
        string[][] cases = [["--bitrate", "999k", "-f", "mp3"], ["--start", "soon"], ["--split", "halves"], ["-f", "wma"]];
        foreach (var args in cases)
        {
            var extract = await Proc.VexaaAsync(["extract", input, .. args], _dir.Path);
            var submit = await Cli.RunAsync([input, .. args]);
            Assert.Equal(extract.ExitCode, submit.ExitCode);
            Assert.Equal(extract.Stderr, submit.Stderr);
        }

        var existing = _dir["good-h264-aac.mp3"];
        await File.WriteAllTextAsync(existing, "mine");
        Assert.Equal(4, (await Cli.RunAsync([input])).ExitCode);
        Assert.Equal("mine", await File.ReadAllTextAsync(existing));
    }

    private static int Count(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
