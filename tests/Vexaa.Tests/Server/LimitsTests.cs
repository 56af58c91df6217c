using System.Net;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Limits answer clearly: 413 for size, 429 with Retry-After for rates and busy users, 403 for quota.</summary>
[Collection(MediaCollection.Name)]
public sealed class LimitsTests(TestMedia media)
{
    [Fact(Timeout = 60_000)]
    public async Task An_upload_over_the_size_limit_is_refused_with_413_and_not_stored()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0, new() { ["Vexaa__Limits__MaxUploadBytes"] = "100000" });
        using var client = server.Client(server.AdminKey);
        using var response = await Api.SubmitAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await Api.JsonAsync(response);
        Assert.Equal("payload-too-large", problem.GetProperty("code").GetString());
        Assert.Equal(100000, problem.GetProperty("maxBytes").GetInt64());

        // Without a Content-Length, the stream is cut off at the limit instead.
        using var chunked = new MultipartFormDataContent();
        chunked.Add(new StreamContent(new NoLengthStream(File.OpenRead(media["good-h264-aac.mp4"]))), "file", "big.mp4");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "files", "jobs")) && Directory.EnumerateFileSystemEntries(Path.Combine(server.DataDirectory, "files", "jobs")).Any());
    }

    [Fact(Timeout = 60_000)]
    public async Task Too_many_requests_get_429_with_retry_after_per_user()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0, new() { ["Vexaa__Limits__RequestsPerMinute"] = "5" });
        using var busy = server.Client(server.AdminKey);
        using var other = server.Client(await server.CreateUserKeyAsync("other"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/jobs")).StatusCode);
        }

        using var limited = await busy.GetAsync("/api/v1/jobs");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal("rate-limited", (await Api.JsonAsync(limited)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/healthz")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_user_at_the_active_job_limit_must_wait()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0, new() { ["Vexaa__Limits__MaxActiveJobsPerUser"] = "2" });
        using var client = server.Client(server.AdminKey);
        await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        using var third = await Api.SubmitAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("too-many-active-jobs", (await Api.JsonAsync(third)).GetProperty("code").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Uploads_past_the_storage_quota_are_refused_with_403()
    {
        var size = new FileInfo(media["good-h264-aac.mp4"]).Length;
        await using var server = await ServerProcess.StartAsync(workers: 0, new() { ["Vexaa__Limits__QuotaBytesPerUser"] = (size * 5 / 2).ToString() });
        using var client = server.Client(server.AdminKey);
        await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        using var over = await Api.SubmitAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal(HttpStatusCode.Forbidden, over.StatusCode);
        Assert.Equal("quota-exceeded", (await Api.JsonAsync(over)).GetProperty("code").GetString());
    }

    private sealed class NoLengthStream(Stream inner) : ForwardOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
