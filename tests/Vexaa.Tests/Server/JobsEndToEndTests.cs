using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

[Collection(MediaCollection.Name)]
public sealed class JobsEndToEndTests(TestMedia media, SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly HttpClient _client = shared.Admin;

    [Theory(Timeout = 120_000)]
    [InlineData("good-h264-aac.mp4", "mp3", "mp3", "good-h264-aac.mp3")]
    [InlineData("good-h264-opus.mkv", "original", "opus", "good-h264-opus.opus")]
    [InlineData("good-mpeg4-mp3.avi", "flac", "flac", "good-mpeg4-mp3.flac")]
    [InlineData("good-with-tags.mp4", "m4a", "aac", "good-with-tags.m4a")]
    [InlineData("chapters.mkv", "ogg", "vorbis", "chapters.ogg")]
    public async Task An_uploaded_video_becomes_the_requested_audio(string input, string format, string codec, string fileName)
    {
        var id = await Api.SubmitOkAsync(_client, media[input], new() { ["format"] = format });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var result = job.GetProperty("results")[0];
        Assert.Equal(fileName, result.GetProperty("fileName").GetString());
        using var response = await _client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition!.FileNameStar);
        using var output = new TempDir();
        await File.WriteAllBytesAsync(output[fileName], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(codec, (await Proc.ProbeAsync(output[fileName])).Codec);
        Assert.Equal(result.GetProperty("size").GetInt64(), new FileInfo(output[fileName]).Length);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_job_reports_the_probe_the_options_and_the_input_hash()
    {
        var id = await Api.SubmitOkAsync(_client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "opus", ["language"] = "deu", ["bitrate"] = "64k" });
        var job = await Api.WaitAsync(_client, id);
        var probe = job.GetProperty("input").GetProperty("probe");
        Assert.Equal(2, probe.GetProperty("audioTracks").GetArrayLength());
        Assert.Equal("deu", probe.GetProperty("audioTracks")[1].GetProperty("language").GetString());
        Assert.Equal("64k", job.GetProperty("options").GetProperty("bitrate").GetString());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(media["good-two-audio-tracks.mp4"])));
        Assert.Equal(sha, job.GetProperty("input").GetProperty("sha256").GetString());
        Assert.Equal(1, job.GetProperty("results")[0].GetProperty("track").GetInt32());
    }

    [Fact(Timeout = 120_000)]
    public async Task All_tracks_makes_one_downloadable_result_per_track()
    {
        var id = await Api.SubmitOkAsync(_client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["allTracks"] = "true" });
        var job = await Api.WaitAsync(_client, id);
        var results = job.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("good-two-audio-tracks.track1-deu.mp3", results[1].GetProperty("fileName").GetString());
        using var second = await _client.GetAsync($"/api/v1/jobs/{id}/results/1");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var third = await _client.GetAsync($"/api/v1/jobs/{id}/results/2");
        Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Downloads_support_ranges_and_etags()
    {
        var id = await Api.SubmitOkAsync(_client, media["good-h264-aac.mp4"], new() { ["format"] = "wav" });
        await Api.WaitAsync(_client, id);
        using var full = await _client.GetAsync($"/api/v1/jobs/{id}/result");
        var bytes = await full.Content.ReadAsByteArrayAsync();
        var etag = full.Headers.ETag!;

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/result");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        using var partial = await _client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[100..200], await partial.Content.ReadAsByteArrayAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/result");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
