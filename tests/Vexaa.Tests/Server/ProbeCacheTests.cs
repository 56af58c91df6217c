using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vexaa.Media;
using Vexaa.Redis;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Without Redis, this process still remembers what it probed: by content, for a day, the most recent few hundred.</summary>
[Collection(MediaCollection.Name)]
public sealed class ProbeCacheTests(TestMedia media)
{
    private static readonly MediaInfo Media = new("mov,mp4,m4a,3gp,3g2,mj2", "QuickTime / MOV", TimeSpan.FromSeconds(5), 1000, 128_000, [], [], [], new Dictionary<string, string>());

    [Fact]
    public async Task A_probe_is_remembered_by_content_until_it_expires_and_the_oldest_goes_first()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var redis = new RedisConnection(Options.Create(new RedisOptions()), NullLogger<RedisConnection>.Instance);
        var cache = new ProbeCache(redis, clock, NullLogger<ProbeCache>.Instance);

        Assert.Null(await cache.GetAsync("a"));
        await cache.SetAsync("a", Media);
        Assert.Same(Media, await cache.GetAsync("a"));
        Assert.Null(await cache.GetAsync("b"));
        Assert.Null(await cache.GetAsync(null));

        clock.Advance(TimeSpan.FromHours(25));
        Assert.Null(await cache.GetAsync("a"));

        // Storing it again renews it; past the capacity, the first stored goes, the newest stay.
        await cache.SetAsync("a", Media);
        for (var i = 1; i <= ProbeCache.LocalCapacity; i++)
        {
            await cache.SetAsync($"k{i}", Media with { SizeBytes = i });
        }

        Assert.Null(await cache.GetAsync("a"));
        Assert.Equal(1, (await cache.GetAsync("k1"))?.SizeBytes);
        Assert.Equal(ProbeCache.LocalCapacity, (await cache.GetAsync($"k{ProbeCache.LocalCapacity}"))?.SizeBytes);
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_redis_an_input_probed_when_submitted_or_converted_before_is_not_probed_again()
    {
        using var dir = new TempDir();
        var log = dir["ffprobe.log"];
        var shim = dir["ffprobe"];
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\necho run >> '{log}'\nexec /usr/bin/ffprobe \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The logging ffprobe lies outside what a sandbox would show the tool, so this server runs its tools unsandboxed.
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["VEXAA_FFPROBE"] = shim, ["Vexaa__Sandbox__Mode"] = "none", ["Vexaa__Retention__InputHours"] = "24" });
        using var client = server.Client(server.AdminKey);
        int Runs() => File.Exists(log) ? File.ReadAllLines(log).Length : 0;

        // Every track: probed when submitted (to count its files), and the worker uses that probe.
        var all = await Api.SubmitOkAsync(client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["allTracks"] = "true" });
        Assert.Equal("succeeded", (await Api.WaitAsync(client, all)).Status());
        Assert.Equal(1, Runs());

        // Converting the same bytes again, to another format: no probe at all.
        using var again = await client.PostAsync("/api/v1/jobs", new StringContent($$"""{"fromJob": "{{all}}", "format": "flac"}""", System.Text.Encoding.UTF8, "application/json"));
        var made = await Api.JsonAsync(again);
        Assert.True(again.StatusCode == System.Net.HttpStatusCode.Accepted, made.ToString());
        var id = made.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id)).Status());
        Assert.Equal(1, Runs());

        // Other bytes are probed as ever.
        var other = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        Assert.Equal("succeeded", (await Api.WaitAsync(client, other)).Status());
        Assert.Equal(2, Runs());
    }
}
