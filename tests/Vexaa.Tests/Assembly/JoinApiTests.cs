using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>Joins through the jobs API: several file parts, several uploads, convert again, and what is refused before anything is used up.</summary>
public sealed class JoinApiTests(JoinMedia media, JoinApiTests.KeepingServer shared) : IClassFixture<JoinMedia>, IClassFixture<JoinApiTests.KeepingServer>, IDisposable
{
    /// <summary>A server that keeps inputs a day after success (as in production), so a join can be converted again.</summary>
    public sealed class KeepingServer : IAsyncLifetime
    {
        public ServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(workers: 1, settings: new() { ["Vexaa__Retention__InputHours"] = "24" });

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);
    private readonly TempDir _out = new();

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private async Task<HttpResponseMessage> SubmitFormAsync(IEnumerable<string> files, Dictionary<string, string> fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            form.Add(new StringContent(value), key);
        }

        foreach (var file in files)
        {
            form.Add(new StreamContent(File.OpenRead(media[file])), "file", file);
        }

        return await _client.PostAsync("/api/v1/jobs", form);
    }

    private async Task<JsonElement> SucceededAsync(HttpResponseMessage response)
    {
        var body = await Api.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var job = await Api.WaitAsync(_client, body.GetProperty("id").GetString()!);
        Assert.True(job.Status() == "succeeded", job.ToString());
        return job;
    }

    private async Task<string> DownloadAsync(JsonElement result)
    {
        var path = _out[result.GetProperty("fileName").GetString()!];
        await File.WriteAllBytesAsync(path, await _client.GetByteArrayAsync(result.GetProperty("url").GetString()));
        return path;
    }

    private async Task<string> UploadAsync(string file) => await Tus.UploadAsync(_client, await File.ReadAllBytesAsync(media[file]));

    [Fact(Timeout = 180_000)]
    public async Task Three_file_parts_join_in_order_with_a_gap_and_a_chapter_each_and_convert_again_as_a_join()
    {
        using var response = await SubmitFormAsync(media.Parts.Select(p => p.File), new() { ["format"] = "flac", ["gap"] = "0.5" });
        var job = await SucceededAsync(response);

        var result = Assert.Single(job.GetProperty("results").EnumerateArray());
        Assert.Equal("intro.flac", result.GetProperty("fileName").GetString());
        var expected = media.Parts.Sum(p => p.Seconds) + 2 * 0.5;
        Assert.Equal(expected, result.GetProperty("durationSeconds").GetDouble(), 0.03);
        Assert.Equal(media.Parts.Select(p => p.Title), result.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("title").GetString()));
        var file = await DownloadAsync(result);
        var chapters = await AssemblyMedia.ProbeChaptersAsync(file);
        Assert.Equal(media.Parts.Select(p => p.Title), chapters.Select(c => c.Title));
        Assert.Equal([0, 2.5, 6], chapters.Select(c => Math.Round(c.Start, 2)));
        Assert.Equal(expected, await Proc.DecodedSecondsAsync(file), 0.03);

        // The parts are listed (name, size, checksum) and all count as the job's input.
        var options = job.GetProperty("options");
        Assert.Equal(["episode.flac", "outro.m4a"], options.GetProperty("joinParts").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(media.Parts.Sum(p => new FileInfo(media[p.File]).Length), job.GetProperty("input").GetProperty("size").GetInt64());

        // Convert again copies every input: the same join, now as MP3 with a crossfade.
        using var again = await _client.PostAsJsonAsync("/api/v1/jobs", new { fromJob = job.GetProperty("id").GetString(), format = "mp3", crossfade = "0.5" });
        var second = await SucceededAsync(again);
        var mp3 = Assert.Single(second.GetProperty("results").EnumerateArray());
        Assert.Equal(3, mp3.GetProperty("chapters").GetArrayLength());
        Assert.Equal(media.Parts.Sum(p => p.Seconds) - 2 * 0.5, await Proc.DecodedSecondsAsync(await DownloadAsync(mp3)), 0.1);
    }

    [Fact(Timeout = 180_000)]
    public async Task Finished_uploads_join_in_the_order_named()
    {
        var episode = await UploadAsync("episode.flac");
        var intro = await UploadAsync("intro.wav");

        using var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadIds = new[] { episode, intro }, format = "flac" });
        var job = await SucceededAsync(response);

        var result = Assert.Single(job.GetProperty("results").EnumerateArray());
        // The uploads were made with the test's default name, so each chapter is named after it; the order is the request's.
        var file = await DownloadAsync(result);
        Assert.Equal(5, await Proc.DecodedSecondsAsync(file), 0.01);
        var chapters = await AssemblyMedia.ProbeChaptersAsync(file);
        Assert.Equal([0, 3], chapters.Select(c => Math.Round(c.Start, 2)));
        Assert.Equal("Intro", chapters[1].Title);

        // Deleting the job deletes every input with it.
        var id = job.GetProperty("id").GetString()!;
        var folder = Path.Combine(shared.Server.DataDirectory, "files", "jobs", id);
        Assert.True(File.Exists(Path.Combine(folder, "parts", "1")));
        using var deleted = await _client.DeleteAsync($"/api/v1/jobs/{id}");
        Assert.True(deleted.IsSuccessStatusCode);
        Assert.False(Directory.Exists(folder));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_request_naming_a_missing_upload_uses_none_of_them_up()
    {
        var intro = await UploadAsync("intro.wav");

        using var refused = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadIds = new[] { intro, "0123456789abcdef0123456789abcdef" } });
        Assert.Equal((404, "input-not-found"), await Api.ProblemAsync(refused));

        using var twice = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadIds = new[] { intro, intro } });
        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(twice));

        // Still there: it converts on its own.
        using var alone = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadId = intro });
        await SucceededAsync(alone);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("gap", "0.5", "crossfade", "0.5", 400, "invalid-option")]
    [InlineData("package", "bagit", null, null, 400, "invalid-option")]
    [InlineData("split", "chapters", null, null, 400, "invalid-option")]
    [InlineData("start", "1", null, null, 400, "invalid-option")]
    public async Task Options_a_join_cannot_take_are_refused_at_submission(string field, string value, string? other, string? otherValue, int status, string code)
    {
        var fields = new Dictionary<string, string> { [field] = value };
        if (other is not null)
        {
            fields[other] = otherValue!;
        }

        using var response = await SubmitFormAsync(["intro.wav", "episode.flac"], fields);
        Assert.Equal((status, code), await Api.ProblemAsync(response));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_gap_for_a_single_file_and_a_crossfade_longer_than_a_part_get_their_own_codes()
    {
        using var single = await SubmitFormAsync(["intro.wav"], new() { ["gap"] = "1" });
        Assert.Equal((422, "join-needs-two-inputs"), await Api.ProblemAsync(single));

        using var response = await SubmitFormAsync(["intro.wav", "episode.flac"], new() { ["crossfade"] = "2.5" });
        var body = await Api.JsonAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await Api.WaitAsync(_client, body.GetProperty("id").GetString()!);
        Assert.Equal("failed", job.Status());
        Assert.Equal("crossfade-too-long", job.GetProperty("error").GetProperty("code").GetString());
    }
}
