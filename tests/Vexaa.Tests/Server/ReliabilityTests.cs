using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Crashes, restarts and cancellations: every job ends exactly once, nothing is left running or lying around.</summary>
[Collection(MediaCollection.Name)]
public sealed class ReliabilityTests(TestMedia media)
{
    // Two passes over 400 s of audio: several seconds of ffmpeg, long enough to interrupt.
    private static readonly Dictionary<string, string> Slow = new() { ["format"] = "flac", ["normalize"] = "podcast" };

    private static async Task WaitRunningAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
            if (job.Status() == "running" && job.GetProperty("progress").GetDouble() > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The job never got going.");
    }

    private static async Task AssertOneResultSetAsync(ServerProcess server, string id)
    {
        var results = Path.Combine(server.DataDirectory, "files", "jobs", id, "results");
        Assert.Single(Directory.GetDirectories(results));
        // The worker deletes the input just after publishing the result, so the client may see success a moment before.
        var input = Path.Combine(server.DataDirectory, "files", "jobs", id, "input");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists(input) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(File.Exists(input), "the input is removed once the job succeeded");
    }

    /// <summary>Clean-up runs just after ffmpeg exits, so give it a moment before declaring a leftover.</summary>
    private static async Task AssertNoLeftoversAsync(ServerProcess server)
    {
        var scratch = Path.Combine(server.DataDirectory, "tmp", "jobs");
        bool Clean() => Processes.WithArgument(server.DataDirectory).Count == 0
            && (!Directory.Exists(scratch) || Directory.GetFileSystemEntries(scratch).Length == 0);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Clean() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(Processes.WithArgument(server.DataDirectory));
        Assert.True(!Directory.Exists(scratch) || Directory.GetFileSystemEntries(scratch).Length == 0, "work folders are removed");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_server_killed_mid_job_finishes_it_after_restart_exactly_once()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], Slow);
        await WaitRunningAsync(client, id);

        await server.KillAsync();
        // ffmpeg dies with the server rather than running on as an orphan.
        await Task.Delay(300);
        Assert.Empty(Processes.WithArgument(server.DataDirectory));

        await server.RestartAsync();
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", job.Status());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Single(job.GetProperty("results").EnumerateArray());
        await AssertOneResultSetAsync(server, id);
        await AssertNoLeftoversAsync(server);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_restart_with_jobs_queued_and_running_finishes_every_job_once()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Workers__ShutdownGraceSeconds"] = "0.2" });
        using var client = server.Client(server.AdminKey);
        var running = await Api.SubmitOkAsync(client, media["long-400s.m4a"], Slow);
        var queued = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            queued.Add(await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" }));
        }

        await WaitRunningAsync(client, running);
        await server.StopAsync();
        Assert.Contains("releasing", server.Output, StringComparison.OrdinalIgnoreCase);

        await server.RestartAsync();
        foreach (var id in queued.Prepend(running))
        {
            var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120));
            Assert.Equal("succeeded", job.Status());
            // A job released at shutdown does not lose an attempt.
            Assert.Equal(1, job.GetProperty("attempts").GetInt32());
            await AssertOneResultSetAsync(server, id);
        }

        await AssertNoLeftoversAsync(server);
    }

    [Fact(Timeout = 120_000)]
    public async Task Cancelling_a_running_job_stops_ffmpeg_and_deletes_its_files()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], Slow);
        await WaitRunningAsync(client, id);

        using var response = await client.DeleteAsync($"/api/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var job = await Api.WaitAsync(client, id);
        Assert.Equal("canceled", job.Status());

        await AssertNoLeftoversAsync(server);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "files", "jobs", id)));
        await Task.Delay(1000);
        Assert.Equal("canceled", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}")).Status());
    }

    [Fact(Timeout = 120_000)]
    public async Task Cancelling_a_queued_job_means_it_never_runs()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.Equal("canceled", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}")).Status());
        // Deleting it again removes the finished record.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/jobs/{id}")).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_retried_post_with_the_same_idempotency_key_makes_one_job()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var client = server.Client(server.AdminKey);
        using var first = await Api.SubmitAsync(client, media["good-h264-aac.mp4"], idempotencyKey: "upload-42");
        using var again = await Api.SubmitAsync(client, media["good-h264-aac.mp4"], idempotencyKey: "upload-42");
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Api.SubmitAsync(client, media["good-h264-aac.mp4"], idempotencyKey: "upload-43")));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await Api.JsonAsync(first)).GetProperty("id").GetString(), (await Api.JsonAsync(again)).GetProperty("id").GetString());
        var ids = new HashSet<string>();
        foreach (var r in concurrent)
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            ids.Add((await Api.JsonAsync(r)).GetProperty("id").GetString()!);
        }

        Assert.Single(ids);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs");
        Assert.Equal(2, list.GetProperty("jobs").GetArrayLength());
        // Only the inputs of the two real jobs are stored.
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(server.DataDirectory, "files", "jobs")).Length);
    }

    [Fact(Timeout = 120_000)]
    public async Task Progress_and_the_final_state_arrive_as_server_sent_events()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], Slow);
        using var stream = await client.GetStreamAsync($"/api/v1/jobs/{id}/events");
        using var reader = new StreamReader(stream);
        var events = new List<(string Type, JsonElement Data)>();
        string? type = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((type!, JsonDocument.Parse(line[6..]).RootElement.Clone()));
            }
        }

        Assert.Equal("state", events[0].Type);
        var progress = events.Where(e => e.Type == "progress").Select(e => e.Data.GetProperty("progress").GetDouble()).ToList();
        Assert.True(progress.Count >= 2, $"several progress events, got {progress.Count}");
        Assert.Equal(progress.Order(), progress);
        Assert.Equal("succeeded", events[^1].Data.Status());
    }

    [Fact(Timeout = 120_000)]
    public async Task Finished_jobs_and_their_files_are_removed_when_retention_ends()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Retention__ResultsHours"] = "0.001" });
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id)).Status());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await client.GetAsync($"/api/v1/jobs/{id}")).StatusCode != HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "files", "jobs", id)));
    }
}
