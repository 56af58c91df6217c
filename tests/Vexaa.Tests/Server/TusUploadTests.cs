using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Resumable uploads by the official tus-js-client in a real Node process, turned into jobs.</summary>
public sealed class TusUploadTests(TusUploadTests.Video video, SharedServer shared) : IClassFixture<TusUploadTests.Video>, IClassFixture<SharedServer>
{
    private const int ChunkSize = 256 * 1024;
    private readonly ServerProcess _server = shared.Server;
    private readonly HttpClient _client = shared.Admin;

    /// <summary>A video of a few MB, so a small chunk size means several PATCH requests.</summary>
    public sealed class Video : IAsyncLifetime
    {
        private readonly TempDir _dir = new();

        public string Path => _dir["interview take 1.mp4"];

        public Task InitializeAsync() => Proc.FfmpegAsync(
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "128k", Path);

        public Task DisposeAsync()
        {
            _dir.Dispose();
            return Task.CompletedTask;
        }
    }

    private async Task<JsonElement> JobFromUploadAsync(string uploadId)
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadId, format = "mp3" });
        var body = await Api.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        return await Api.WaitAsync(_client, body.GetProperty("id").GetString()!);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_video_uploaded_with_tus_js_client_becomes_an_mp3()
    {
        var upload = await TusJs.UploadAsync(_server.BaseAddress, _server.AdminKey, video.Path);
        Assert.True(upload.ExitCode == 0, upload.Error + upload.Stderr);
        Assert.False(upload.Aborted);
        Assert.Equal(new FileInfo(video.Path).Length, upload.BytesUploaded);
        Assert.Equal(upload.BytesUploaded, upload.BytesSent);

        var job = await JobFromUploadAsync(upload.UploadId);

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal("interview take 1.mp4", job.GetProperty("input").GetProperty("name").GetString());
        using var result = await _client.GetAsync($"/api/v1/jobs/{job.GetProperty("id").GetString()}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        using var output = new TempDir();
        await File.WriteAllBytesAsync(output["out.mp3"], await result.Content.ReadAsByteArrayAsync());
        var probed = await Proc.ProbeAsync(output["out.mp3"]);
        Assert.Equal("mp3", probed.Codec);
        Assert.InRange(probed.Duration, 19.5, 20.5);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_interrupted_upload_resumes_where_it_stopped_and_the_job_gets_the_same_bytes()
    {
        var length = new FileInfo(video.Path).Length;
        Assert.True(length > 4 * ChunkSize, $"the test video is only {length} bytes");

        var first = await TusJs.UploadAsync(_server.BaseAddress, _server.AdminKey, video.Path, abortAfterBytes: length / 2, chunkSize: ChunkSize);
        Assert.True(first.ExitCode == 0, first.Error + first.Stderr);
        Assert.True(first.Aborted);
        var offsetBeforeResume = await Tus.OffsetAsync(_client, first.Url!) ?? -1;
        Assert.InRange(offsetBeforeResume, 1, length - 1);
        Assert.Equal(first.BytesUploaded, offsetBeforeResume);

        var second = await TusJs.UploadAsync(_server.BaseAddress, _server.AdminKey, video.Path, resumeUrl: first.Url, chunkSize: ChunkSize);

        Assert.True(second.ExitCode == 0, second.Error + second.Stderr);
        Assert.Equal(first.Url, second.Url);
        Assert.Equal(length - offsetBeforeResume, second.BytesSent);
        Assert.Equal(length, await Tus.OffsetAsync(_client, second.Url!));
        var job = await JobFromUploadAsync(second.UploadId);
        Assert.True(job.Status() == "succeeded", job.ToString());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(video.Path)));
        Assert.Equal(sha256, job.GetProperty("input").GetProperty("sha256").GetString());
        Assert.Equal(length, job.GetProperty("input").GetProperty("size").GetInt64());
    }

    [Fact(Timeout = 60_000)]
    public async Task Tus_js_client_with_a_wrong_api_key_fails_with_the_servers_401()
    {
        var upload = await TusJs.UploadAsync(_server.BaseAddress, "vx_not-a-real-key", video.Path);

        Assert.Equal(1, upload.ExitCode);
        Assert.Contains("response code: 401", upload.Error);
    }
}
