using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Transient failures are retried with backoff; after the last attempt the job fails for good, with its reason.</summary>
[Collection(MediaCollection.Name)]
public sealed class RetryTests(TestMedia media)
{
    [Fact(Timeout = 120_000)]
    public async Task An_encoder_that_keeps_failing_is_retried_then_the_job_fails_with_its_reason()
    {
        using var tools = new TempDir();
        var ffmpeg = tools["ffmpeg"];
        // Stands in for a machine whose disk is full: ffmpeg starts, says why, and fails.
        await File.WriteAllTextAsync(ffmpeg, "#!/bin/sh\necho \"[error] No space left on device\" >&2\nexit 1\n");
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["VEXAA_FFMPEG"] = ffmpeg, ["Vexaa__Workers__MaxAttempts"] = "3" });
        using var client = server.Client(server.AdminKey);

        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(60), "failed");

        Assert.Equal(3, job.GetProperty("attempts").GetInt32());
        // A full disk has its own code (as with a real tmpfs in Faults/DiskFullTests), retried like any passing failure.
        Assert.Equal("insufficient-storage", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("disk", job.GetProperty("error").GetProperty("message").GetString());
        Assert.True(job.GetProperty("input").GetProperty("stored").GetBoolean(), "a failed job keeps its input so it can be retried");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_that_outlives_its_last_attempt_fails_as_worker_lost()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Workers__MaxAttempts"] = "1" });
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" });
        await Api.WaitAsync(client, id, TimeSpan.FromSeconds(60), "running");

        await server.KillAsync();
        await server.RestartAsync();
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(60));

        Assert.Equal("failed", job.Status());
        Assert.Equal("worker-lost", job.GetProperty("error").GetProperty("code").GetString());
    }
}
