using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>The assembly features through the two front ends people use: the <c>vexaa</c> command and the jobs API.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class AssemblyInterfaceTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _out = new();
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    private async Task<string> DownloadAsync(string url, string name)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await File.WriteAllBytesAsync(_out[name], await response.Content.ReadAsByteArrayAsync());
        return _out[name];
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_writes_the_cut_chapters_as_markers_and_as_json()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["cut.mp3"], "--start", "1", "--end", "6", "--chapters-json", _out["chapters.json"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("3 chapters", r.Stdout);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(_out["chapters.json"]));
        var chapters = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["Intro", "Main part", "Outro/End: \"x\""], chapters.Select(c => c.GetProperty("title").GetString()));
        Assert.Equal([0, 1, 4], chapters.Select(c => c.GetProperty("start").GetDouble()));
        Assert.Equal([1, 4, 5], chapters.Select(c => c.GetProperty("end").GetDouble()));
        Assert.Equal([0, 1, 4], (await AssemblyMedia.ProbeChaptersAsync(_out["cut.mp3"])).Select(c => Math.Round(c.Start, 2)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_refuses_chapters_json_with_several_inputs()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], media["chapters.mp4"], "-o", _out.Path + "/", "--chapters-json", _out["c.json"]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--chapters-json takes one input", r.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_reports_the_chapters_it_wrote_into_its_result()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["format"] = "flac", ["start"] = "3", ["end"] = "6.5" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var result = job.GetProperty("results")[0];
        var chapters = result.GetProperty("chapters").EnumerateArray().ToList();
        Assert.Equal(["Main part", "Outro/End: \"x\""], chapters.Select(c => c.GetProperty("title").GetString()));
        Assert.Equal([0, 2], chapters.Select(c => c.GetProperty("startSeconds").GetDouble()));
        var file = await DownloadAsync(result.GetProperty("url").GetString()!, "job.flac");
        Assert.Equal(["Main part", "Outro/End: \"x\""], (await AssemblyMedia.ProbeChaptersAsync(file)).Select(c => c.Title));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_splits_by_chapters_into_the_output_folder()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "--split", "chapters", "-o", _out["parts"], "--format", "mp3", "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["01 - Intro.mp3", "02 - Main part.mp3", "03 - Outro_End_ _x_.mp3"], Directory.GetFiles(_out["parts"]).Select(Path.GetFileName).Order());
        var result = r.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("\"result\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Equal([1, 2, 3], result.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("part").GetInt32()));
        Assert.Equal("Main part", (await Proc.ProbeAsync(_out["parts/02 - Main part.mp3"])).Tags["title"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_answers_an_unknown_split_mode_with_its_exit_code()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "--split", "scenes");

        Assert.Equal(22, r.ExitCode);
        Assert.Contains("Split mode 'scenes' is not known", r.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_split_job_has_one_result_per_chapter_and_one_zip()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["format"] = "opus", ["split"] = "chapters" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var results = job.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["01 - Intro.opus", "02 - Main part.opus", "03 - Outro_End_ _x_.opus"], results.Select(x => x.GetProperty("fileName").GetString()));
        Assert.Equal([1, 2, 3], results.Select(x => x.GetProperty("part").GetInt32()));
        Assert.Equal("chapters", job.GetProperty("options").GetProperty("split").GetString());
        var second = await DownloadAsync(results[1].GetProperty("url").GetString()!, "second.opus");
        Assert.InRange(await Proc.DecodedSecondsAsync(second), 2.97, 3.03);

        var zip = await DownloadAsync($"/api/v1/jobs/archive?ids={id}", "all.zip");
        await using var archive = await System.IO.Compression.ZipFile.OpenReadAsync(zip, CancellationToken.None);
        Assert.Equal(results.Select(x => x.GetProperty("fileName").GetString()), archive.Entries.Select(e => e.FullName));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_with_an_unknown_split_mode_is_refused_with_its_code()
    {
        using var response = await Api.SubmitAsync(_client, media["chapters.mp4"], new() { ["split"] = "scenes" });

        var (status, code) = await Api.ProblemAsync(response);
        Assert.Equal(400, status);
        Assert.Equal("unknown-split-mode", code);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_embeds_a_cover_and_answers_a_cover_past_the_end_with_its_exit_code()
    {
        var ok = await VexaaAsync("extract", media["black-start.mp4"], "-o", _out["cover.flac"], "--cover", "0:05");
        var late = await VexaaAsync("extract", media["black-start.mp4"], "-o", _out["late.mp3"], "--cover", "0:09");
        var wav = await VexaaAsync("extract", media["black-start.mp4"], "-o", _out["cover.wav"], "--cover", "auto");

        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Equal((240, 240), await CoverPictures.SizeAsync(await CoverPictures.ExtractAsync(_out["cover.flac"], _out.Path)));
        Assert.Equal(35, late.ExitCode);
        Assert.Contains("cover time (0:09) is at or after the end", late.Stderr);
        Assert.Equal(2, wav.ExitCode);
        Assert.Contains(".wav files cannot hold cover art", wav.Stderr);
        Assert.False(File.Exists(_out["late.mp3"]) || File.Exists(_out["cover.wav"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task Submit_sends_a_cover_picture_with_the_job_and_the_result_carries_it_squared()
    {
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "color=red:size=320x200", "-frames:v", "1", _out["red.png"]);
        using var state = new TempDir();
        var env = new Dictionary<string, string> { ["VEXAA_SERVER"] = shared.Server.BaseAddress.ToString(), ["VEXAA_API_KEY"] = shared.Server.AdminKey, ["XDG_STATE_HOME"] = state.Path };

        var r = await Proc.VexaaAsync(["submit", media["chapters.mp4"], "-o", _out["sent.mp3"], "--cover", _out["red.png"]], _out.Path, env);

        Assert.True(r.ExitCode == 0, r.Stderr);
        // The picture needs no frame of the video, so only the sound was uploaded.
        Assert.Contains("sending only the audio", r.Stderr);
        var picture = await Proc.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name,width,height:stream_disposition=attached_pic", "-of", "csv=p=0", _out["sent.mp3"]]);
        Assert.Equal("mjpeg,200,200,1", picture.Stdout.Trim());
        await Proc.FfmpegAsync("-i", _out["sent.mp3"], "-map", "0:v", "-vf", "crop=2:2:100:100", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", _out["pixel.rgb"]);
        var pixel = await File.ReadAllBytesAsync(_out["pixel.rgb"]);
        Assert.True(pixel is [> 200, < 60, < 60, ..], $"the cover is the red picture: {string.Join(",", pixel)}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_refuses_a_missing_or_too_large_cover_picture_before_sending_anything()
    {
        var large = _out["large.png"];
        await File.WriteAllBytesAsync(large, new byte[800 * 1024]);

        var missing = await VexaaAsync("submit", media["chapters.mp4"], "--server", "http://127.0.0.1:9", "--api-key", "vx_unused", "--cover", _out["none.png"]);
        var tooLarge = await VexaaAsync("submit", media["chapters.mp4"], "--server", "http://127.0.0.1:9", "--api-key", "vx_unused", "--cover", large);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("the picture", missing.Stderr);
        Assert.Contains("does not exist", missing.Stderr);
        Assert.Equal(2, tooLarge.ExitCode);
        Assert.Contains("at most 700 KiB", tooLarge.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_answers_a_cover_that_is_not_an_image_or_a_video_without_frames_with_their_codes()
    {
        await File.WriteAllTextAsync(_out["notes.png"], "not a picture\n");

        var fake = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["a.mp3"], "--cover", _out["notes.png"]);
        var noVideo = await VexaaAsync("extract", media["two-tracks.m4a"], "-o", _out["b.mp3"], "--cover", "auto");

        Assert.Equal(37, fake.ExitCode);
        Assert.Contains("'notes.png' is not a JPEG or PNG image", fake.Stderr);
        Assert.Equal(36, noVideo.ExitCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_with_cover_auto_has_a_non_black_square_cover_in_every_result()
    {
        var id = await Api.SubmitOkAsync(_client, media["black-start.mp4"], new() { ["formats"] = "mp3,opus", ["cover"] = "auto" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal("auto", job.GetProperty("options").GetProperty("cover").GetString());
        foreach (var result in job.GetProperty("results").EnumerateArray())
        {
            var file = await DownloadAsync(result.GetProperty("url").GetString()!, result.GetProperty("fileName").GetString()!);
            var picture = await CoverPictures.ExtractAsync(file, _out.Path);
            Assert.Equal((240, 240), await CoverPictures.SizeAsync(picture));
            Assert.InRange(await CoverPictures.LumaAsync(picture), 60, 255);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_with_a_cover_image_part_embeds_it_re_encoded()
    {
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=800x400", "-frames:v", "1", _out["front.png"]);

        using var response = await SubmitWithCoverAsync(_out["front.png"], new() { ["format"] = "m4a" });
        var id = (await Api.JsonAsync(response)).GetProperty("id").GetString()!;
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal("image", job.GetProperty("options").GetProperty("cover").GetString());
        var result = job.GetProperty("results")[0];
        var file = await DownloadAsync(result.GetProperty("url").GetString()!, "job.m4a");
        Assert.Equal((400, 400), await CoverPictures.SizeAsync(await CoverPictures.ExtractAsync(file, _out.Path)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Jobs_that_differ_only_in_their_cover_image_do_not_share_results()
    {
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "color=white:size=64x64", "-frames:v", "1", _out["white.png"]);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "color=black:size=64x64", "-frames:v", "1", _out["black.png"]);

        var lumas = new List<double>();
        foreach (var image in new[] { "white.png", "black.png" })
        {
            using var response = await SubmitWithCoverAsync(_out[image], new() { ["format"] = "mp3" });
            var job = await Api.WaitAsync(_client, (await Api.JsonAsync(response)).GetProperty("id").GetString()!);
            Assert.True(job.Status() == "succeeded", job.ToString());
            var file = await DownloadAsync(job.GetProperty("results")[0].GetProperty("url").GetString()!, "from-" + image + ".mp3");
            lumas.Add(await CoverPictures.LumaAsync(await CoverPictures.ExtractAsync(file, _out.Path)));
        }

        Assert.InRange(lumas[0], 200, 255);
        Assert.InRange(lumas[1], 0, 20);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_whose_cover_is_not_an_image_or_past_the_end_fails_with_its_code()
    {
        await File.WriteAllTextAsync(_out["cover.jpg"], "GIF89a... not really\n");

        using var fake = await SubmitWithCoverAsync(_out["cover.jpg"], new() { ["format"] = "mp3" });
        var late = await Api.SubmitOkAsync(_client, media["black-start.mp4"], new() { ["format"] = "mp3", ["cover"] = "0:09" });

        var fakeJob = await Api.WaitAsync(_client, (await Api.JsonAsync(fake)).GetProperty("id").GetString()!);
        var lateJob = await Api.WaitAsync(_client, late);
        Assert.Equal("cover-not-an-image", fakeJob.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("cover-time-past-end", lateJob.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_with_a_wrong_cover_value_is_refused_before_it_exists()
    {
        using var gif = await Api.SubmitAsync(_client, media["chapters.mp4"], new() { ["cover"] = "front.gif" });
        using var wav = await Api.SubmitAsync(_client, media["chapters.mp4"], new() { ["format"] = "wav", ["cover"] = "auto" });
        using var imageWithoutPart = await Api.SubmitAsync(_client, media["chapters.mp4"], new() { ["cover"] = "image" });

        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(gif));
        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(wav));
        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(imageWithoutPart));
    }

    private async Task<HttpResponseMessage> SubmitWithCoverAsync(string image, Dictionary<string, string> fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            form.Add(new StringContent(value), key);
        }

        form.Add(new StreamContent(File.OpenRead(media["chapters.mp4"])), "file", "chapters.mp4");
        form.Add(new StreamContent(File.OpenRead(image)), "coverImage", Path.GetFileName(image));
        var response = await _client.PostAsync("/api/v1/jobs", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return response;
    }
}
