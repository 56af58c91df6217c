using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>A real `vexaa serve` with Vexaa:Storage:Provider = s3 against s3rver: job files live in the bucket, not the data folder.</summary>
[Collection(S3Collection.Name)]
public sealed class S3StorageTests(S3Server s3, TestMedia media)
{
    private async Task<byte[]> StoredAsync(string bucket, string key)
    {
        using var client = s3.Client();
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key });
        using var bytes = new MemoryStream();
        await response.ResponseStream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    private static async Task<(string Id, JsonElement Result)> ConvertAsync(HttpClient client, string file, string format)
    {
        var id = await Api.SubmitOkAsync(client, file, new() { ["format"] = format });
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(90));
        Assert.True(job.Status() == "succeeded", job.ToString());
        return (id, job.GetProperty("results")[0]);
    }

    /// <summary>
    /// The bucket's keys once the finished job's input is gone: the worker deletes it just after publishing the result,
    /// so a client can see the job succeed a moment before.
    /// </summary>
    private async Task<List<string>> ResultKeysAsync(string bucket)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var keys = await s3.KeysAsync(bucket);
        while (keys.Any(k => k.EndsWith("/input", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            keys = await s3.KeysAsync(bucket);
        }

        return keys;
    }

    private static HttpClient NotFollowingRedirects(ServerProcess server, string apiKey) =>
        new(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
        };

    [Fact(Timeout = 180_000)]
    public async Task Jobs_run_from_the_bucket_and_results_stream_through_the_server_with_ranges()
    {
        var bucket = await s3.CreateBucketAsync();
        await using var server = await ServerProcess.StartAsync(workers: 1, settings: s3.ServerSettings(bucket));
        using var client = server.Client(server.AdminKey);
        using var stranger = server.Client(await server.CreateUserKeyAsync("mallory"));

        var (id, result) = await ConvertAsync(client, media["good-h264-aac.mp4"], "wav");

        var key = Assert.Single(await ResultKeysAsync(bucket));
        Assert.Matches($"^jobs/{id}/results/[0-9]+/0\\.wav$", key);
        var stored = await StoredAsync(bucket, key);
        Assert.Equal(result.GetProperty("size").GetInt64(), stored.Length);
        using var whole = await client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("good-h264-aac.wav", whole.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal(Bytes.Sha256(stored), Bytes.Sha256(await whole.Content.ReadAsByteArrayAsync()));

        foreach (var (range, from, to) in new[] { ("bytes=100-4195", 100, 4195), ("bytes=-50", stored.Length - 50, stored.Length - 1) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/result") { Headers = { { "Range", range } } };
            using var partial = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal($"bytes {from}-{to}/{stored.Length}", partial.Content.Headers.ContentRange!.ToString());
            Assert.Equal(stored[from..(to + 1)], await partial.Content.ReadAsByteArrayAsync());
        }

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/result") { Headers = { IfNoneMatch = { whole.Headers.ETag! } } };
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/jobs/{id}/result")).StatusCode);
        var ready = await client.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("storage").GetString());
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "files")));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.Empty(await s3.KeysAsync(bucket));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_upload_cut_off_at_the_size_limit_after_some_parts_leaves_nothing_in_the_bucket()
    {
        var bucket = await s3.CreateBucketAsync();
        var settings = s3.ServerSettings(bucket);
        settings["Vexaa__Limits__MaxUploadBytes"] = (7 << 20).ToString();
        await using var server = await ServerProcess.StartAsync(workers: 0, settings);
        using var client = server.Client(server.AdminKey);
        // No Content-Length, so the server cannot refuse up front: the limit trips after the first 5 MiB part is up. The
        // body overshoots by 1 MiB, within what the server reads to the end after answering (the form fields' allowance),
        // so the client gets the answer rather than a connection closed under its feet.
        using var form = new MultipartFormDataContent { { new StreamContent(new TrickleStream(Bytes.Random(8 << 20))), "file", "big.mp4" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = form, Headers = { TransferEncodingChunked = true } };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await s3.KeysAsync(bucket));
        Assert.Contains("cannot abort multipart upload", server.Output);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_resumable_upload_moves_into_the_bucket_and_leaves_nothing_in_the_data_folder()
    {
        var bucket = await s3.CreateBucketAsync();
        await using var server = await ServerProcess.StartAsync(workers: 1, settings: s3.ServerSettings(bucket));
        using var client = server.Client(server.AdminKey);
        var video = await File.ReadAllBytesAsync(media["good-h264-opus.mkv"]);
        var url = await Tus.CreateAsync(client, video.Length, "clip.mkv");
        using (var patch = await Tus.PatchAsync(client, url, 0, video))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        using var submitted = await client.PostAsJsonAsync("/api/v1/jobs", new { uploadId = url[(url.LastIndexOf('/') + 1)..], format = "original" });
        Assert.True(HttpStatusCode.Accepted == submitted.StatusCode, server.Output);
        var id = (await Api.JsonAsync(submitted)).GetProperty("id").GetString()!;
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(90));

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal(Bytes.Sha256(video), job.GetProperty("input").GetProperty("sha256").GetString());
        var key = Assert.Single(await ResultKeysAsync(bucket));
        using var download = await client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal(Bytes.Sha256(await StoredAsync(bucket, key)), Bytes.Sha256(await download.Content.ReadAsByteArrayAsync()));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(server.DataDirectory, "tmp", "uploads")));
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "files")));
    }

    [Fact(Timeout = 180_000)]
    public async Task In_redirect_mode_the_owner_gets_a_presigned_url_and_anyone_else_a_404()
    {
        var bucket = await s3.CreateBucketAsync();
        await using var server = await ServerProcess.StartAsync(workers: 1, settings: s3.ServerSettings(bucket, downloads: "redirect"));
        using var owner = NotFollowingRedirects(server, server.AdminKey);
        using var stranger = NotFollowingRedirects(server, await server.CreateUserKeyAsync("mallory"));
        var (id, result) = await ConvertAsync(owner, media["good-mpeg4-mp3.avi"], "mp3");

        using var redirect = await owner.GetAsync($"/api/v1/jobs/{id}/result");
        using var refused = await stranger.GetAsync($"/api/v1/jobs/{id}/result");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.True(redirect.Headers.CacheControl!.NoStore);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(s3.ServiceUrl + "/", location.OriginalString);
        Assert.Contains("X-Amz-Signature=", location.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Null(refused.Headers.Location);
        using var anonymous = new HttpClient();
        using var download = await anonymous.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(result.GetProperty("fileName").GetString(), download.Content.Headers.ContentDisposition!.FileNameStar);
        var key = Assert.Single(await ResultKeysAsync(bucket));
        Assert.Equal(Bytes.Sha256(await StoredAsync(bucket, key)), Bytes.Sha256(await download.Content.ReadAsByteArrayAsync()));
        Assert.Equal(result.GetProperty("size").GetInt64(), download.Content.Headers.ContentLength);
    }
}
