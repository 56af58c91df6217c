using Vexaa.Tests.Support;

namespace Vexaa.Tests.Submit;

/// <summary>Each way a server can fail a submit has its own exit code and one line on stderr.</summary>
[Collection(MediaCollection.Name)]
public sealed class SubmitExitCodeTests(TestMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Proc.Result> SubmitAsync(Uri server, string key, params string[] args)
    {
        using var cli = new SubmitCli(server, key, _dir.Path);
        return await cli.RunAsync([media["good-h264-aac.mp4"], "-o", _dir.Path + "/", .. args]);
    }

    private static void AssertFailed(Proc.Result r, int exitCode, string words)
    {
        Assert.True(r.ExitCode == exitCode, $"expected exit {exitCode}, got {r.ExitCode}: {r.Stderr}");
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("vexaa: ", StringComparison.Ordinal));
        Assert.Contains(words, line);
        Assert.DoesNotContain("Exception", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_nobody_listens_at_is_exit_50()
    {
        var r = await SubmitAsync(new Uri($"http://127.0.0.1:{CannedServer.FreePort()}/"), "vx_any");
        AssertFailed(r, 50, "cannot reach the server");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_key_the_server_does_not_know_is_exit_51()
    {
        var r = await SubmitAsync(shared.Server.BaseAddress, "vx_not_a_real_key");
        AssertFailed(r, 51, "refused the API key");
        AssertFailed(await SubmitAsync(shared.Server.BaseAddress, ""), 51, "wants an API key");
    }

    [Fact(Timeout = 60_000)]
    public async Task Rate_limited_answers_are_waited_out_as_Retry_After_says_then_exit_52()
    {
        using var limited = new CannedServer(429, """{"status":429,"code":"rate-limited","detail":"Too many requests; try again in 1 s."}""", ("Retry-After", "1"));

        var r = await SubmitAsync(limited.Address, "vx_any", "--json");

        Assert.Equal(52, r.ExitCode);
        // The first request and three more, each after the second the server asked for.
        Assert.Equal(4, limited.Requests);
        var events = SubmitCli.Events(r);
        Assert.Equal(3, events.Count(e => SubmitCli.Event(e) == "notice" && e.GetProperty("message").GetString()!.Contains("waiting 1 s")));
        Assert.Equal("rate-limited", events.Single(e => SubmitCli.Event(e) == "error").GetProperty("code").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_the_server_turns_down_is_exit_54()
    {
        using var full = new CannedServer(403, """{"status":403,"code":"quota-exceeded","detail":"This upload would take your stored files past your quota."}""");

        var r = await SubmitAsync(full.Address, "vx_any");

        AssertFailed(r, 54, "past your quota");
        Assert.Equal(1, full.Requests);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_the_server_fails_keeps_extracts_exit_code_for_the_reason()
    {
        using var cli = new SubmitCli(shared.Server.BaseAddress, shared.Server.AdminKey, _dir.Path);

        var r = await cli.RunAsync([media["broken-no-audio.mp4"], "--upload-whole", "-o", _dir.Path + "/"]);

        AssertFailed(r, 15, "could not convert it");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_canceled_on_the_server_is_exit_53()
    {
        using var cli = new SubmitCli(shared.Server.BaseAddress, shared.Server.AdminKey, _dir.Path);
        using var run = cli.Start([media["long-400s.m4a"], "-f", "flac", "--normalize", "podcast", "-o", _dir.Path + "/"]);
        var converting = await run.WaitForAsync(e => SubmitCli.Event(e) == "progress" && e.GetProperty("phase").GetString() is "queued" or "converting");
        var jobs = await Api.JsonAsync(await shared.Admin.GetAsync("/api/v1/jobs?limit=1"));
        var id = jobs.GetProperty("jobs")[0].GetProperty("id").GetString()!;

        (await shared.Admin.DeleteAsync($"/api/v1/jobs/{id}")).EnsureSuccessStatusCode();

        var error = await run.WaitForAsync(e => SubmitCli.Event(e) == "error");
        await run.Process.WaitForExitAsync();
        Assert.Equal(53, run.Process.ExitCode);
        Assert.Equal(53, error.GetProperty("exitCode").GetInt32());
        Assert.NotNull(converting.GetProperty("input").GetString());
    }
}
