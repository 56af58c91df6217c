using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Converting a finished or failed job's stored input again with other settings, without a second upload.</summary>
[Collection(MediaCollection.Name)]
public sealed class ConvertAgainTests(TestMedia media)
{
    private static readonly Dictionary<string, string> KeepInputs = new() { ["Vexaa__Retention__InputHours"] = "24" };

    private static Task<HttpResponseMessage> AgainAsync(HttpClient client, object body) => client.PostAsJsonAsync("/api/v1/jobs", body);

    [Fact(Timeout = 180_000)]
    public async Task A_finished_jobs_input_is_kept_and_converts_again_with_other_settings_for_its_owner_only()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, KeepInputs);
        using var owner = server.Client(server.AdminKey);
        using var other = server.Client(await server.CreateUserKeyAsync("olga"));
        var first = await Api.SubmitOkAsync(owner, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["track"] = "0" });
        var done = await Api.WaitAsync(owner, first);
        Assert.Equal("succeeded", done.Status());
        var input = done.GetProperty("input");
        Assert.True(input.GetProperty("stored").GetBoolean());
        var keptUntil = input.GetProperty("keptUntil").GetDateTimeOffset();
        Assert.InRange(keptUntil - DateTimeOffset.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24.1));

        using var again = await AgainAsync(owner, new { fromJob = first, format = "flac", track = 1 });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = (await Api.JsonAsync(again)).GetProperty("id").GetString()!;
        var result = await Api.WaitAsync(owner, second);
        Assert.Equal("succeeded", result.Status());
        Assert.Equal("good-two-audio-tracks.mp4", result.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal(input.GetProperty("sha256").GetString(), result.GetProperty("input").GetProperty("sha256").GetString());
        var file = result.GetProperty("results")[0];
        Assert.Equal("flac", file.GetProperty("format").GetString());
        Assert.Equal(1, file.GetProperty("track").GetInt32());

        // Another person's job answers exactly as a job that does not exist, and nothing is created.
        using var foreign = await AgainAsync(other, new { fromJob = first, format = "mp3" });
        using var unknown = await AgainAsync(other, new { fromJob = "abcdefghijklmnopqrstuvwxyz", format = "mp3" });
        Assert.Equal((404, "input-not-found"), await Api.ProblemAsync(foreign));
        Assert.Equal((404, "input-not-found"), await Api.ProblemAsync(unknown));
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength());

        // Bad options are refused before anything is copied.
        using var bad = await AgainAsync(owner, new { fromJob = first, format = "mp3", bitrate = "999k" });
        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(bad));
        using var both = await AgainAsync(owner, new { fromJob = first, uploadId = "abcdefghijklmnopqrstuvwxyz" });
        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(both));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_job_that_failed_with_track_not_found_converts_again_with_a_track_that_exists()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, KeepInputs);
        using var owner = server.Client(server.AdminKey);
        var failed = await Api.WaitAsync(owner, await Api.SubmitOkAsync(owner, media["good-h264-aac.mp4"], new() { ["track"] = "3" }));
        Assert.Equal("failed", failed.Status());
        Assert.Equal("track-not-found", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.True(failed.GetProperty("input").GetProperty("stored").GetBoolean());

        using var again = await AgainAsync(owner, new { fromJob = failed.GetProperty("id").GetString(), track = 0 });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var result = await Api.WaitAsync(owner, (await Api.JsonAsync(again)).GetProperty("id").GetString()!);
        Assert.Equal("succeeded", result.Status());
    }

    [Fact(Timeout = 180_000)]
    public async Task With_InputHours_zero_the_input_goes_at_once_and_converting_again_answers_input_expired()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, settings: new() { ["Vexaa__Retention__InputHours"] = "0" });
        using var owner = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(owner, media["good-h264-aac.mp4"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(owner, id)).Status());
        // The worker deletes the input just after publishing the result, so the client may see success a moment before.
        var input = Path.Combine(server.DataDirectory, "files", "jobs", id, "input");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists(input) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(File.Exists(input));
        Assert.False((await owner.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}")).GetProperty("input").GetProperty("stored").GetBoolean());

        using var again = await AgainAsync(owner, new { fromJob = id, format = "opus" });
        Assert.Equal((409, "input-expired"), await Api.ProblemAsync(again));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_kept_input_counts_against_the_quota_and_a_copy_past_it_is_refused()
    {
        var size = new FileInfo(media["good-h264-aac.mp4"]).Length;
        await using var server = await ServerProcess.StartAsync(workers: 1, settings: new(KeepInputs) { ["Vexaa__Limits__QuotaBytesPerUser"] = (size * 3 / 2).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var owner = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(owner, media["good-h264-aac.mp4"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(owner, id)).Status());

        using var again = await AgainAsync(owner, new { fromJob = id, format = "opus" });
        Assert.Equal((403, "quota-exceeded"), await Api.ProblemAsync(again));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_kept_input_is_deleted_when_InputHours_are_over_and_the_results_stay()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, settings: new() { ["Vexaa__Retention__InputHours"] = "0.0005" });
        using var owner = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(owner, media["good-h264-aac.mp4"]);
        Assert.True((await Api.WaitAsync(owner, id)).GetProperty("input").GetProperty("stored").GetBoolean());

        var input = Path.Combine(server.DataDirectory, "files", "jobs", id, "input");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (File.Exists(input) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.False(File.Exists(input));
        var job = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
        Assert.False(job.GetProperty("input").GetProperty("stored").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/v1/jobs/{id}/result")).StatusCode);
    }
}
