using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Every bad-input class from the engine, through the API: a precise error, never a 500, and the server carries on.</summary>
[Collection(MediaCollection.Name)]
public sealed class BadInputApiTests(TestMedia media) : IAsyncLifetime
{
    private ServerProcess _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        _client = _server.Client(_server.AdminKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Theory(Timeout = 120_000)]
    [InlineData("broken-empty.mp4", "empty-file")]
    [InlineData("broken-text.mp4", "not-media")]
    [InlineData("broken-random.mp4", "corrupt-media")]
    [InlineData("broken-truncated.mp4", "truncated-media")]
    [InlineData("broken-no-audio.mp4", "no-audio-stream")]
    [InlineData("hostile-playlist.mp4", "unsupported-container")]
    [InlineData("hostile-playlist-network.mp4", "unsupported-container")]
    [InlineData("hostile-concat.mp4", "unsupported-container")]
    [InlineData("hostile-sdp.mp4", "unsupported-container")]
    [InlineData("hostile-image.mp4", "unsupported-container")]
    public async Task A_bad_input_fails_its_job_with_the_engines_code_without_retrying(string input, string code)
    {
        var id = await Api.SubmitOkAsync(_client, media[input]);
        var job = await Api.WaitAsync(_client, id);

        Assert.Equal("failed", job.Status());
        var error = job.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("/errors/" + code, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.DoesNotContain(_server.DataDirectory, error.GetProperty("message").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await _client.GetAsync($"/api/v1/jobs/{id}/result")).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_track_that_does_not_exist_fails_the_job_naming_the_tracks_there_are()
    {
        var id = await Api.SubmitOkAsync(_client, media["good-two-audio-tracks.mp4"], new() { ["track"] = "5" });
        var job = await Api.WaitAsync(_client, id);
        Assert.Equal("track-not-found", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("1 (deu, aac)", job.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("bitrate", "600k", "opus allows")]
    [InlineData("bitrate", "192k -i /etc/passwd", "Bitrate")]
    [InlineData("format", "wma", "Unknown format")]
    [InlineData("sampleRate", "44100", "opus cannot be written")]
    [InlineData("channels", "six", "whole number")]
    [InlineData("start", "5", "after start")]
    [InlineData("normalize", "loud", "not a target")]
    [InlineData("tags", "no equals sign", "Tag")]
    [InlineData("colour", "blue", "Unknown field 'colour'")]
    [InlineData("webhookUrl", "file:///etc/passwd", "webhookUrl")]
    public async Task Bad_options_are_refused_before_a_job_exists(string field, string value, string message)
    {
        var fields = new Dictionary<string, string> { ["format"] = "opus", ["end"] = "2", [field] = value };
        if (field == "format")
        {
            fields.Remove("end");
        }

        using var response = await Api.SubmitAsync(_client, media["good-h264-aac.mp4"], fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Api.JsonAsync(response);
        Assert.Equal("invalid-option", problem.GetProperty("code").GetString());
        Assert.Equal("/errors/invalid-option", problem.GetProperty("type").GetString());
        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await _client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength());
        Assert.False(Directory.Exists(Path.Combine(_server.DataDirectory, "files", "jobs")) && Directory.GetDirectories(Path.Combine(_server.DataDirectory, "files", "jobs")).Length > 0);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("text/plain", "hello", 415)]
    [InlineData("application/json", "{not json", 400)]
    [InlineData("application/json", "[1,2]", 400)]
    [InlineData("application/json", "{\"format\":\"mp3\"}", 400)]
    [InlineData("application/json", "{\"uploadId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaa\"}", 404)]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nmp3\r\n--x--\r\n", 400)]
    [InlineData("multipart/form-data", "", 400)]
    public async Task Malformed_requests_get_a_problem_not_a_500(string contentType, string body, int status)
    {
        using var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await _client.PostAsync("/api/v1/jobs", content);
        Assert.Equal(status, (int)response.StatusCode);
        var problem = await Api.JsonAsync(response);
        Assert.True(problem.TryGetProperty("code", out _), problem.ToString());
        Assert.DoesNotContain("   at ", problem.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_routes_and_methods_answer_with_problems()
    {
        using var missing = await _client.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not-found", (await Api.JsonAsync(missing)).GetProperty("code").GetString());
        using var badId = await _client.GetAsync("/api/v1/jobs/../../etc/passwd");
        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
        using var list = await _client.GetAsync("/api/v1/jobs?status=exploded");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        using var cursor = await _client.GetAsync("/api/v1/jobs?cursor=garbage");
        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_failed_job_can_be_retried_and_only_failed_jobs_can()
    {
        var failed = await Api.SubmitOkAsync(_client, media["good-two-audio-tracks.mp4"], new() { ["track"] = "7" });
        Assert.Equal("failed", (await Api.WaitAsync(_client, failed)).Status());
        using var retry = await _client.PostAsync($"/api/v1/jobs/{failed}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var again = await Api.WaitAsync(_client, failed);
        Assert.Equal("failed", again.Status());
        Assert.Equal(1, again.GetProperty("attempts").GetInt32());

        var ok = await Api.SubmitOkAsync(_client, media["good-h264-aac.mp4"]);
        await Api.WaitAsync(_client, ok);
        using var notFailed = await _client.PostAsync($"/api/v1/jobs/{ok}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, notFailed.StatusCode);
        Assert.Equal("not-failed", (await Api.JsonAsync(notFailed)).GetProperty("code").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task The_job_list_pages_newest_first_and_filters_by_status()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Api.SubmitOkAsync(_client, media["good-h264-aac.mp4"]));
        }

        var failed = await Api.SubmitOkAsync(_client, media["broken-text.mp4"]);
        foreach (var id in ids.Append(failed))
        {
            await Api.WaitAsync(_client, id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>("/api/v1/jobs?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Append(failed).Reverse(), seen.Where(ids.Append(failed).Contains));
        var onlyFailed = await _client.GetFromJsonAsync<JsonElement>("/api/v1/jobs?status=failed");
        Assert.Contains(onlyFailed.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetString() == failed);
        Assert.All(onlyFailed.GetProperty("jobs").EnumerateArray(), j => Assert.Equal("failed", j.Status()));
    }
}
