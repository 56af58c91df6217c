using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>
/// Resumable uploads on the scaled-out shape: two API processes with separate data folders share only MariaDB and S3, and
/// an upload started on one is continued, probed and turned into a job on the other.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ScaledUploadTests(MariaDbServer mariadb, TestMedia media) : IAsyncLifetime
{
    private readonly S3Server _s3 = new();

    public Task InitializeAsync() => _s3.InitializeAsync();

    public Task DisposeAsync() => _s3.DisposeAsync();

    [Fact(Timeout = 180_000)]
    public async Task An_upload_begun_on_one_api_process_is_finished_probed_and_converted_through_another()
    {
        var bucket = await _s3.CreateBucketAsync();
        var settings = await mariadb.ServerSettingsAsync();
        foreach (var (k, v) in _s3.ServerSettings(bucket))
        {
            settings[k] = v;
        }

        var started = await Task.WhenAll(ServerProcess.StartAsync(1, settings), ServerProcess.StartAsync(0, settings));
        await using var a = started[0];
        await using var b = started[1];
        var key = a.AdminKey.Length > 0 ? a.AdminKey : b.AdminKey;
        using var clientA = a.Client(key);
        using var clientB = b.Client(key);
        var video = await File.ReadAllBytesAsync(media["good-two-audio-tracks.mp4"]);
        var half = video.Length / 2;

        var url = await Tus.CreateAsync(clientA, video.Length, "two tracks.mp4");
        using (var first = await Tus.PatchAsync(clientA, url, 0, video[..half]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        Assert.Equal(half, await Tus.OffsetAsync(clientB, url));
        using (var rest = await Tus.PatchAsync(clientB, url, half, video[half..], Tus.Sha1(video[half..])))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }

        Assert.Equal(video.Length, await Tus.OffsetAsync(clientA, url));
        // B, which took the last chunk, joined both into one object: A received only the first half.
        Assert.Single(await _s3.KeysAsync(bucket), k => k.StartsWith("uploads/" + Tus.IdOf(url) + "/whole-", StringComparison.Ordinal));
        Assert.DoesNotContain(await _s3.KeysAsync(bucket), k => k.StartsWith("uploads/", StringComparison.Ordinal) && !k.Contains("/whole-", StringComparison.Ordinal));

        // Probed on A, from the joined object in the bucket.
        var probe = await clientA.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{Tus.IdOf(url)}/probe");
        Assert.Equal(2, probe.GetProperty("audioTracks").GetArrayLength());

        using var submitted = await clientB.PostAsJsonAsync("/api/v1/jobs", new { uploadId = Tus.IdOf(url), format = "mp3", track = 1 });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await Api.JsonAsync(submitted)).GetProperty("id").GetString()!;
        var job = await Api.WaitAsync(clientB, id, TimeSpan.FromSeconds(90));

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal(Bytes.Sha256(video), job.GetProperty("input").GetProperty("sha256").GetString());
        Assert.Equal("two tracks.mp4", job.GetProperty("input").GetProperty("name").GetString());
        Assert.DoesNotContain(await _s3.KeysAsync(bucket), k => k.StartsWith("uploads/", StringComparison.Ordinal));
        foreach (var server in new[] { a, b })
        {
            var scratch = Path.Combine(server.DataDirectory, "tmp", "uploads");
            Assert.True(!Directory.Exists(scratch) || Directory.GetFileSystemEntries(scratch).Length == 0, $"scratch left in {scratch}");
        }
    }
}
