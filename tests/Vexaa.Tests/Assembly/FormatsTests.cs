using System.Globalization;
using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>Several formats from one decode, with per-format settings, through the CLI and the jobs API; and the output-count limit over them.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class FormatsTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _out = new();
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    /// <summary>codec, bit rate (bit/s, 0 when the container has none) and sample rate of a file's audio, as ffprobe reads them.</summary>
    internal static async Task<(string Codec, long BitRate, int SampleRate)> AudioOfAsync(string path)
    {
        var r = await Proc.RunAsync("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate:format=bit_rate", "-of", "json", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var stream = json.RootElement.GetProperty("streams")[0];
        var rate = json.RootElement.GetProperty("format").TryGetProperty("bit_rate", out var b) ? long.Parse(b.GetString()!, CultureInfo.InvariantCulture) : 0;
        return (stream.GetProperty("codec_name").GetString()!, rate, int.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_writes_three_formats_from_one_ffmpeg_run_each_with_its_own_bitrate()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["talk"], "--format", "flac,mp3,opus",
            "--bitrate", "mp3=128k", "--bitrate", "opus=48k", "--sample-rate", "mp3=44100", "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["talk.flac", "talk.mp3", "talk.opus"], Directory.GetFiles(_out.Path).Select(Path.GetFileName).Order());
        var flac = await AudioOfAsync(_out["talk.flac"]);
        var mp3 = await AudioOfAsync(_out["talk.mp3"]);
        var opus = await AudioOfAsync(_out["talk.opus"]);
        Assert.Equal(("flac", 48000), (flac.Codec, flac.SampleRate));
        Assert.Equal(("mp3", 44100), (mp3.Codec, mp3.SampleRate));
        Assert.InRange(mp3.BitRate, 120_000, 136_000);
        Assert.Equal("opus", opus.Codec);
        Assert.InRange(opus.BitRate, 40_000, 90_000); // well below the 128k default; Ogg pages and tags add to the container figure
        var result = r.Stdout.Split('\n').Where(l => l.Contains("\"result\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Equal(["flac", "mp3", "opus"], result.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("format").GetString()));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_decodes_once_for_all_formats()
    {
        // The log of the run shows one ffmpeg command line with an output per format, not one run per format.
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["bag/"], "--format", "wav,mp3", "--package", "bagit");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var commands = (await File.ReadAllLinesAsync(_out["bag/bag-info.txt"])).Where(l => l.StartsWith("VExAA-FFmpeg-Command: ", StringComparison.Ordinal)).ToList();
        var command = Assert.Single(commands);
        Assert.Equal(1, command.Split(" -i ").Length - 1);
        Assert.Equal(2, command.Split(" -map ").Length - 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_applies_a_plain_bitrate_to_every_format_and_refuses_it_for_a_lossless_one()
    {
        var ok = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["a"], "--format", "mp3,ogg", "--bitrate", "160k");
        var refused = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["b"], "--format", "flac,mp3", "--bitrate", "160k");

        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.InRange((await AudioOfAsync(_out["a.mp3"])).BitRate, 150_000, 170_000);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("flac is lossless", refused.Stderr);
        Assert.Contains("mp3=128k", refused.Stderr);
        Assert.False(File.Exists(_out["b.mp3"]));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("m4a,alac", "both write .m4a files")]
    [InlineData("mp3,mp3", "listed twice")]
    [InlineData("mp3,original", "cannot be combined")]
    [InlineData("mp3,wma", "Unknown format 'wma'")]
    public async Task Cli_refuses_a_format_list_that_cannot_be_named_by_extension(string formats, string why)
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["x"], "--format", formats);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(why, r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_counts_tracks_times_formats_against_max_outputs_before_running_and_parts_apart()
    {
        // 2 tracks × 3 formats = 6 files encoded at once, over a limit of 5.
        var r = await VexaaAsync("extract", media["two-tracks.m4a"], "--all-tracks", "-o", _out["parts"], "--format", "flac,mp3,opus", "--max-outputs", "5");

        Assert.Equal(21, r.ExitCode);
        Assert.Contains("6 files (2 tracks × 3 formats)", r.Stderr);
        Assert.Empty(Directory.Exists(_out["parts"]) ? Directory.GetFiles(_out["parts"]) : []);

        // Parts run in batches under their own limit: 3 chapters × 2 formats fit a limit of 2 files at once.
        var split = await VexaaAsync("extract", media["chapters.mp4"], "--split", "chapters", "-o", _out["parts"], "--format", "flac,mp3", "--max-outputs", "2");
        Assert.Equal(0, split.ExitCode);
        Assert.Equal(6, Directory.GetFiles(_out["parts"]).Length);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_splits_by_chapters_into_each_format()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "--split", "chapters", "-o", _out["parts"], "--format", "flac,mp3", "--bitrate", "mp3=96k");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["01 - Intro.flac", "01 - Intro.mp3", "02 - Main part.flac", "02 - Main part.mp3", "03 - Outro_End_ _x_.flac", "03 - Outro_End_ _x_.mp3"],
            Directory.GetFiles(_out["parts"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.InRange(await Proc.DecodedSecondsAsync(_out["parts/02 - Main part.flac"]), 2.999, 3.001);
        Assert.InRange(await Proc.DecodedSecondsAsync(_out["parts/02 - Main part.mp3"]), 2.95, 3.1);
        Assert.InRange((await AudioOfAsync(_out["parts/02 - Main part.mp3"])).BitRate, 90_000, 102_000);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_with_two_formats_has_one_result_per_format_and_one_zip()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["formats"] = "flac,mp3", ["bitrate"] = "mp3=128k" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var results = job.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["chapters.flac", "chapters.mp3"], results.Select(x => x.GetProperty("fileName").GetString()));
        Assert.Equal(["flac", "mp3"], job.GetProperty("options").GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        var mp3 = await DownloadAsync(results[1].GetProperty("url").GetString()!, "job.mp3");
        Assert.InRange((await AudioOfAsync(mp3)).BitRate, 120_000, 136_000);
        var zip = await DownloadAsync($"/api/v1/jobs/archive?ids={id}", "all.zip");
        await using var archive = await System.IO.Compression.ZipFile.OpenReadAsync(zip, CancellationToken.None);
        Assert.Equal(["chapters.flac", "chapters.mp3"], archive.Entries.Select(e => e.FullName));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_takes_formats_as_a_json_array_and_refuses_format_with_formats()
    {
        using var refused = await _client.PostAsync("/api/v1/jobs", JsonContent(new { uploadId = "none", format = "mp3", formats = new[] { "flac", "opus" } }));
        using var unknown = await _client.PostAsync("/api/v1/jobs", JsonContent(new { uploadId = "none", formats = new[] { "flac", "wma" } }));

        var refusal = await Api.JsonAsync(refused);
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("format or formats", refusal.GetProperty("detail").GetString());
        Assert.Contains("Unknown format 'wma'", (await Api.JsonAsync(unknown)).GetProperty("detail").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_over_the_output_limit_by_formats_is_refused_at_submission_naming_the_limit()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Limits__MaxOutputsPerJob"] = "4" });
        using var client = server.Client(server.AdminKey);

        using var formats = await Api.SubmitAsync(client, media["chapters.mp4"], new() { ["formats"] = "flac,mp3,opus,ogg,wav" });
        using var parts = await Api.SubmitAsync(client, media["two-tracks.m4a"], new() { ["formats"] = "flac,mp3,opus", ["allTracks"] = "true" });

        Assert.Equal((422, "too-many-outputs"), await Api.ProblemAsync(formats));
        Assert.Contains("Vexaa:Limits:MaxOutputsPerJob", (await Api.JsonAsync(formats)).GetProperty("detail").GetString());
        Assert.Equal((422, "too-many-outputs"), await Api.ProblemAsync(parts));
        Assert.Contains("6 files (2 tracks × 3 formats)", (await Api.JsonAsync(parts)).GetProperty("detail").GetString());
        // A split's parts do not count: 3 chapters × 2 formats is 2 files at a time.
        var fits = await Api.SubmitOkAsync(client, media["chapters.mp4"], new() { ["formats"] = "flac,mp3", ["split"] = "chapters" });
        var done = await Api.WaitAsync(client, fits);
        Assert.Equal("succeeded", done.Status());
        Assert.Equal(6, done.GetProperty("results").GetArrayLength());
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private async Task<string> DownloadAsync(string url, string name)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await File.WriteAllBytesAsync(_out[name], await response.Content.ReadAsByteArrayAsync());
        return _out[name];
    }
}
