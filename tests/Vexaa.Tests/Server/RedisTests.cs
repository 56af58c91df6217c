using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>
/// Redis carries wake-ups, progress and rate limits between processes, caches probes, and is never required: when it
/// dies the service slows down (polling) instead of failing. The database's own polling is set very slow here, so
/// anything that arrives quickly must have come through Redis.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RedisTests(MariaDbServer mariadb, TestMedia media)
{
    private async Task<Dictionary<string, string>> SettingsAsync(RedisServer redis)
    {
        var settings = await mariadb.ServerSettingsAsync();
        settings["Vexaa__Redis__Configuration"] = redis.Configuration;
        settings["Vexaa__Workers__PollSeconds"] = "60";
        settings["Vexaa__Events__PollSeconds"] = "60";
        return settings;
    }

    [Fact(Timeout = 180_000)]
    public async Task A_job_queued_on_one_process_wakes_a_worker_in_another_and_its_progress_streams_back()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = await SettingsAsync(redis);
        await using var api = await ServerProcess.StartAsync(workers: 0, settings);
        await using var worker = await ServerProcess.StartAsync(workers: 1, settings, api.DataDirectory, command: "work");
        using var client = api.Client(api.AdminKey);
        await Task.Delay(500);

        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" });
        var events = new List<(string Type, JsonElement Data, DateTimeOffset At)>();
        using (var stream = await client.GetStreamAsync($"/api/v1/jobs/{id}/events"))
        using (var reader = new StreamReader(stream))
        {
            string? type = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add((type!, JsonDocument.Parse(line[6..]).RootElement.Clone(), DateTimeOffset.UtcNow));
                }
            }
        }

        // Workers poll every 60 s and event streams read the database every 60 s, so anything faster came through Redis.
        var final = events[^1];
        Assert.Equal("succeeded", final.Data.Status());
        var created = final.Data.GetProperty("createdAt").GetDateTimeOffset();
        var started = final.Data.GetProperty("startedAt").GetDateTimeOffset();
        var finished = final.Data.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(started - created < TimeSpan.FromSeconds(20), $"claimed {started - created} after it was queued: a Redis wake-up");
        Assert.True(final.At - finished < TimeSpan.FromSeconds(15), $"the end arrived {final.At - finished} after it happened: relayed, not polled");
        Assert.True(events.Count(e => e.Type == "progress") >= 3, "progress arrives from the other process while it runs");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_rate_limit_is_shared_by_every_api_process()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = await SettingsAsync(redis);
        settings["Vexaa__Limits__RequestsPerMinute"] = "6";
        await using var a = await ServerProcess.StartAsync(workers: 0, settings);
        await using var b = await ServerProcess.StartAsync(workers: 0, settings, a.DataDirectory);
        var key = a.AdminKey.Length > 0 ? a.AdminKey : b.AdminKey;
        using var clientA = a.Client(key);
        using var clientB = b.Client(key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await (i % 2 == 0 ? clientA : clientB).GetAsync("/api/v1/jobs")).StatusCode);
        }

        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact(Timeout = 180_000)]
    public async Task When_redis_dies_jobs_still_finish_and_readyz_says_so_until_it_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = await SettingsAsync(redis);
        settings["Vexaa__Workers__PollSeconds"] = "0.5";
        await using var server = await ServerProcess.StartAsync(workers: 1, settings);
        using var client = server.Client(server.AdminKey);
        Assert.Contains("\"redis\":\"ok\"", await client.GetStringAsync("/readyz"));

        await redis.KillAsync();
        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id)).Status());
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("unavailable", await ready.Content.ReadAsStringAsync());

        await redis.StartAgainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await client.GetStringAsync("/readyz")).Contains("\"redis\":\"ok\"") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Contains("\"redis\":\"ok\"", await client.GetStringAsync("/readyz"));
        var again = await Api.SubmitOkAsync(client, media["good-mpeg4-mp3.avi"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(client, again)).Status());
        // Probes are cached by input content once Redis is back.
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(media["good-mpeg4-mp3.avi"])));
        Assert.Equal("1", await redis.CliAsync("EXISTS", "vexaa:probe:" + sha));
    }
}
