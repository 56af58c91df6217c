using System.Net;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>`vexaa serve --workers 0` takes the requests, `vexaa work` does the conversions; /metrics shows the queue.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class WorkerRoleTests(MariaDbServer mariadb, TestMedia media)
{
    [Fact(Timeout = 180_000)]
    public async Task An_api_only_server_and_a_worker_process_share_the_work_through_the_database()
    {
        var settings = await mariadb.ServerSettingsAsync();
        settings["Vexaa__Metrics__AllowAnonymous"] = "true";
        await using var api = await ServerProcess.StartAsync(workers: 0, settings);
        await using var worker = await ServerProcess.StartAsync(workers: 2, settings, api.DataDirectory, command: "work");
        using var client = api.Client(api.AdminKey);

        var ok = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "ogg" });
        var bad = await Api.SubmitOkAsync(client, media["broken-no-audio.mp4"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(client, ok)).Status());
        Assert.Equal("failed", (await Api.WaitAsync(client, bad)).Status());
        Assert.Contains("Job " + ok + " succeeded", worker.Output);
        Assert.DoesNotContain("Job " + ok, api.Output);

        using var health = worker.Client();
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/healthz")).StatusCode);
        var ready = await health.GetStringAsync("/readyz");
        Assert.Contains("\"workers\":\"ok (", ready);
        // The worker serves no API, even to a valid key (and nothing at all without one).
        using var withKey = worker.Client(api.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, (await withKey.GetAsync("/api/v1/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await health.GetAsync("/api/v1/jobs")).StatusCode);

        var metrics = await health.GetStringAsync("/metrics");
        Assert.Contains("vexaa_jobs{state=\"succeeded\"} 1", metrics);
        Assert.Contains("vexaa_jobs{state=\"failed\"} 1", metrics);
        Assert.Contains("vexaa_job_failures_total{code=\"no-audio-stream\"} 1", metrics);
        Assert.Contains("vexaa_workers 2", metrics);
        Assert.Contains("vexaa_ffmpeg_realtime_factor_count 1", metrics);
        var apiMetrics = await api.Client().GetStringAsync("/metrics");
        Assert.Contains("vexaa_workers 0", apiMetrics);
    }

    [Fact(Timeout = 60_000)]
    public async Task Metrics_need_an_admin_unless_opened_on_purpose()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync("/metrics")).StatusCode);
        using var user = server.Client(await server.CreateUserKeyAsync("someone"));
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/metrics")).StatusCode);
        using var admin = server.Client(server.AdminKey);
        Assert.Contains("# TYPE vexaa_jobs gauge", await admin.GetStringAsync("/metrics"));
    }
}
