using System.Net;
using System.Text.Json;
using Amazon.S3.Model;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Faults;

/// <summary>
/// A real `vexaa serve` whose bucket is behind <see cref="S3FaultProxy"/>: S3 answering 500/503, slowly, or cutting bodies
/// short. Faults that pass are retried and the job succeeds; faults that last end with a clear error, nothing half-published.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class S3FaultTests(S3Server s3, TestMedia media)
{
    private async Task<(string Bucket, S3FaultProxy Proxy, ServerProcess Server)> StartAsync(int workers = 1)
    {
        var bucket = await s3.CreateBucketAsync();
        var proxy = await S3FaultProxy.StartAsync(s3.ServiceUrl);
        var settings = s3.ServerSettings(bucket);
        settings["Vexaa__Storage__S3__ServiceUrl"] = proxy.ServiceUrl;
        settings["Vexaa__Workers__MaxAttempts"] = "2";
        return (bucket, proxy, await ServerProcess.StartAsync(workers, settings));
    }

    private async Task<byte[]> StoredAsync(string bucket, string key)
    {
        using var client = s3.Client();
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key });
        using var bytes = new MemoryStream();
        await response.ResponseStream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    private static string Scratch(ServerProcess server) => Path.Combine(server.DataDirectory, "tmp");

    /// <summary>Files left in the server's scratch folders (uploads being received, jobs' work folders).</summary>
    private static string[] LeftInScratch(ServerProcess server) =>
        Directory.Exists(Scratch(server)) ? Directory.GetFiles(Scratch(server), "*", SearchOption.AllDirectories) : [];

    [Fact(Timeout = 240_000)]
    public async Task Errors_slowness_and_cut_bodies_that_pass_are_retried_and_the_job_and_its_download_succeed()
    {
        var (bucket, proxy, server) = await StartAsync();
        await using var _ = proxy;
        await using var __ = server;
        using var client = server.Client(server.AdminKey);
        proxy.Inject(S3Fault.SlowDown, 1, S3FaultProxy.KeyEndsWith("/input", "PUT"));
        proxy.Inject(S3Fault.InternalError, 2, S3FaultProxy.KeyEndsWith("/input", "GET"));
        proxy.Inject(S3Fault.CutBody, 1, S3FaultProxy.KeyEndsWith("/input", "GET"));
        // The first try of the result's upload is refused, its retry slow.
        proxy.Inject(S3Fault.SlowDown, 1, S3FaultProxy.KeyEndsWith(".mp3", "PUT"));
        proxy.Inject(S3Fault.Slow, 1, S3FaultProxy.KeyEndsWith(".mp3", "PUT"));

        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120));
        var faults = proxy.Injected;
        proxy.Inject(S3Fault.CutBody, 1, S3FaultProxy.KeyEndsWith(".mp3", "GET"));
        using var download = await client.GetAsync($"/api/v1/jobs/{id}/result");
        var downloaded = await download.Content.ReadAsByteArrayAsync();
        Figures.Record("fault", "s3-transient-errors-slowness-cut-bodies", proxy.Injected, job.Status() == "succeeded" ? 0 : 1);

        Assert.True(job.Status() == "succeeded", $"{job}\n{server.Output}");
        Assert.True(faults == 6, proxy.Log);
        Assert.Equal(7, proxy.Injected);
        // Retried where they happened (the storage calls), not by running the job again.
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        var key = Assert.Single(await s3.KeysAsync(bucket), k => k.Contains("/results/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Bytes.Sha256(await StoredAsync(bucket, key)), Bytes.Sha256(downloaded));
        Assert.Empty(LeftInScratch(server));
    }

    [Fact(Timeout = 240_000)]
    public async Task Storage_that_keeps_failing_the_results_fails_the_job_clearly_and_publishes_none_of_them()
    {
        var (bucket, proxy, server) = await StartAsync();
        await using var _ = proxy;
        await using var __ = server;
        using var client = server.Client(server.AdminKey);
        // Two tracks, two result files: the first goes up, the second never does.
        proxy.Break(S3Fault.SlowDown, S3FaultProxy.KeyEndsWith("/1.mp3", "PUT"));

        var id = await Api.SubmitOkAsync(client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["allTracks"] = "true" });
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(180));
        // The worker removes what its last attempt stored just after writing the failure, so a client may see it first.
        var keys = await s3.KeysAsync(bucket);
        for (var deadline = DateTime.UtcNow.AddSeconds(15); keys.Any(k => k.Contains("/results/", StringComparison.Ordinal)) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            keys = await s3.KeysAsync(bucket);
        }

        var published = keys.Count(k => k.Contains("/results/", StringComparison.Ordinal));
        Figures.Record("fault", "s3-result-writes-keep-failing", proxy.Injected, job.Status() == "failed" && published == 0 ? 0 : 1);

        Assert.True(job.Status() == "failed", $"{job}\n{server.Output}");
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        var error = job.GetProperty("error");
        Assert.Equal("storage-unavailable", error.GetProperty("code").GetString());
        Assert.Contains("file storage could not be reached", error.GetProperty("message").GetString());
        Assert.True(job.GetProperty("results").ValueKind is JsonValueKind.Null || job.GetProperty("results").GetArrayLength() == 0, job.ToString());
        Assert.Equal(0, published);
        Assert.Contains($"jobs/{id}/input", keys);
        Assert.Empty(LeftInScratch(server));

        // Once storage works again, the user's retry succeeds from the kept input.
        proxy.Heal();
        using var retry = await client.PostAsync($"/api/v1/jobs/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120))).Status());
    }

    [Fact(Timeout = 240_000)]
    public async Task While_storage_is_down_api_calls_answer_503_storage_unavailable_and_leave_nothing_behind()
    {
        var (bucket, proxy, server) = await StartAsync();
        await using var _ = proxy;
        await using var __ = server;
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120))).Status());
        // The input is deleted just after the job shows as succeeded (inputs are not kept on this server): wait for that,
        // so the listing below is of what stays, not of a deletion still under way.
        var before = await s3.KeysAsync(bucket);
        for (var waited = 0; before.Contains($"jobs/{id}/input") && waited < 100; waited++)
        {
            await Task.Delay(100);
            before = await s3.KeysAsync(bucket);
        }

        Assert.DoesNotContain($"jobs/{id}/input", before);

        proxy.Break(S3Fault.SlowDown);
        using var download = await client.GetAsync($"/api/v1/jobs/{id}/result");
        using var submitted = await Api.SubmitAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "opus" });
        using var ready = await server.Client().GetAsync("/readyz");
        var answers = new[] { download, submitted };
        Figures.Record("fault", "s3-down-api-calls", proxy.Injected, answers.Count(a => a.StatusCode != HttpStatusCode.ServiceUnavailable));

        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)answer.StatusCode}: {body}");
            Assert.Equal("storage-unavailable", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            Assert.True(answer.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "a Retry-After in seconds");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("failing", (await Api.JsonAsync(ready)).GetProperty("checks").GetProperty("storage").GetString());
        proxy.Heal();
        Assert.Equal(before.Order(StringComparer.Ordinal), (await s3.KeysAsync(bucket)).Order(StringComparer.Ordinal));
        Assert.Empty(LeftInScratch(server));
        using (var jobs = await client.GetAsync("/api/v1/jobs"))
        {
            Assert.Equal(1, (await Api.JsonAsync(jobs)).GetProperty("jobs").GetArrayLength());
        }

        using var again = await client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_download_that_storage_keeps_cutting_short_fails_instead_of_ending_as_a_shorter_file()
    {
        var (bucket, proxy, server) = await StartAsync();
        await using var _ = proxy;
        await using var __ = server;
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "wav" });
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", job.Status());
        var size = job.GetProperty("results")[0].GetProperty("size").GetInt64();

        // Half the file arrives, then every attempt to continue is cut off before its first byte.
        proxy.Inject(S3Fault.CutBody, 1, S3FaultProxy.KeyEndsWith(".wav", "GET"));
        proxy.Break(S3Fault.NoBody, S3FaultProxy.KeyEndsWith(".wav", "GET"));
        using var response = await client.GetAsync($"/api/v1/jobs/{id}/result", HttpCompletionOption.ResponseHeadersRead);
        using var received = new MemoryStream();
        Exception? failure = null;
        try
        {
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(received);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            failure = e;
        }

        Figures.Record("fault", "s3-download-keeps-breaking-off", proxy.Injected, failure is null ? 1 : 0);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size, response.Content.Headers.ContentLength);
        Assert.True(failure is not null, $"a {received.Length}-byte body of {size} was delivered as complete");
        Assert.True(received.Length < size);
    }
}
