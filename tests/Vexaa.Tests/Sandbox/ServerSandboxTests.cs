using System.Net;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Sandbox;

/// <summary>The server picks its sandbox at start, says which in /readyz and the log, and converts inside it.</summary>
[Collection(MediaCollection.Name)]
public sealed class ServerSandboxTests(TestMedia media)
{
    [Fact(Timeout = 120_000)]
    public async Task The_server_converts_under_bubblewrap_by_default_says_so_and_keeps_each_scratch_folder_private()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);

        var ready = await client.GetStringAsync("/readyz");
        Assert.Contains("\"sandbox\":\"bubblewrap (user namespaces available); limits: memory 8192 MiB, cpu 28800 s", ready);

        // A long two-pass job, so its scratch folder can be looked at while it runs.
        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" });
        var jobs = Path.Combine(server.DataDirectory, "tmp", "jobs");
        UnixFileMode? mode = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (mode is null && DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(jobs) && Directory.GetDirectories(jobs).FirstOrDefault() is { } scratch)
            {
                mode = File.GetUnixFileMode(scratch);
            }

            await Task.Delay(50);
        }

        Assert.Equal("succeeded", (await Api.WaitAsync(client, id, TimeSpan.FromSeconds(90))).Status());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
        Assert.Contains("ffmpeg sandbox: bubblewrap", server.Output);
    }

    [Fact(Timeout = 120_000)]
    public async Task With_the_sandbox_off_the_server_reports_limits_only_and_still_converts()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Sandbox__Mode"] = "none", ["Vexaa__Sandbox__MaxFileBytes"] = "1000000" });
        using var client = server.Client(server.AdminKey);

        Assert.Contains("\"sandbox\":\"none (Vexaa:Sandbox:Mode is none); limits:", await client.GetStringAsync("/readyz"));
        var small = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        var large = await Api.SubmitOkAsync(client, media["long-30s.m4a"], new() { ["format"] = "wav" });

        Assert.Equal("succeeded", (await Api.WaitAsync(client, small)).Status());
        var failed = await Api.WaitAsync(client, large);
        Assert.Equal("failed", failed.Status());
        Assert.Contains("resource-limit-exceeded", failed.GetRawText());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_sandbox_mode_stops_the_server_naming_the_setting()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(workers: 0, new() { ["Vexaa__Sandbox__Mode"] = "maybe" }));

        Assert.Contains("Vexaa:Sandbox:Mode must be auto, bubblewrap or none (it is 'maybe')", e.Message);
    }
}
