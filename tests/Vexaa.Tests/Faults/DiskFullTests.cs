using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Faults;

/// <summary>
/// The disk fills up under a real server: while a form upload streams in, while a tus chunk is received, while ffmpeg
/// writes, while results are stored. Each ends with 507 insufficient-storage (uploads) or a job that fails with that
/// code or is retried once there is room; nothing partial is kept or published, no temporary file is left.
/// </summary>
public sealed class DiskFullTests
{
    private const long MiB = 1024 * 1024;

    private static async Task AssertInsufficientStorageAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.InsufficientStorage, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal((507, "insufficient-storage"), await Api.ProblemAsync(response));
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to try again");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_form_upload_onto_a_full_disk_is_refused_with_507_and_leaves_nothing()
    {
        await using var fault = await FaultServer.StartAsync("files", 2 * MiB);
        using var client = fault.Client();
        var big = Path.Combine(fault.DataDirectory + "-big.mp4");
        await File.WriteAllBytesAsync(big, Bytes.Random(6 * (int)MiB));
        try
        {
            using var refused = await Api.SubmitAsync(client, big);
            var status = refused.StatusCode;
            var left = fault.Disk.Files();
            var jobs = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength();
            // The refused upload used no room: a file that fits goes through at once, and converts.
            var id = await Api.SubmitOkAsync(client, fault.Clip, new() { ["format"] = "mp3" });
            var job = await Api.WaitAsync(client, id);

            Figures.Fault("disk-full-form-upload", 1, status == HttpStatusCode.InsufficientStorage && left.Length == 0 && jobs == 0 && job.Status() == "succeeded" ? 0 : 1);
            await AssertInsufficientStorageAsync(refused);
            Assert.Empty(left);
            Assert.Equal(0, jobs);
            Assert.Equal("succeeded", job.Status());
        }
        finally
        {
            File.Delete(big);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tus_chunk_that_does_not_fit_keeps_nothing_and_resumes_once_there_is_room()
    {
        await using var fault = await FaultServer.StartAsync("tmp", 1 * MiB);
        using var client = fault.Client();
        var bytes = Bytes.Random(3 * (int)MiB);
        var url = await Tus.CreateAsync(client, bytes.Length);
        using (var first = await Tus.PatchAsync(client, url, 0, bytes[..(256 * 1024)]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using var refused = await Tus.PatchAsync(client, url, 256 * 1024, bytes[(256 * 1024)..]);
        var offset = await Tus.OffsetAsync(client, url);
        var left = fault.Disk.Files();
        await fault.Disk.ResizeAsync(16 * MiB);
        using var resumed = await Tus.PatchAsync(client, url, offset ?? 0, bytes[(int)(offset ?? 0)..]);
        var stored = await Tus.StoredBytesAsync(fault.DataDirectory, url);

        Figures.Fault("disk-full-tus-chunk", 1, refused.StatusCode == HttpStatusCode.InsufficientStorage && offset == 256 * 1024 && stored.AsSpan().SequenceEqual(bytes) ? 0 : 1);
        await AssertInsufficientStorageAsync(refused);
        Assert.Equal("262144", refused.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal(256 * 1024, offset);
        Assert.Empty(left);
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        Assert.Equal(bytes.Length, await Tus.OffsetAsync(client, url));
        Assert.True(stored.AsSpan().SequenceEqual(bytes), "the upload holds exactly the bytes sent");
        Assert.Empty(fault.FilesUnder("tmp", "uploads"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Encoding_onto_a_full_scratch_disk_is_retried_and_succeeds_once_there_is_room()
    {
        // The clip as WAV (about 1 MB) does not fit in 512 KB of scratch.
        await using var fault = await FaultServer.StartAsync("tmp", MiB / 2, new() { ["Vexaa__Workers__MaxAttempts"] = "30", ["Vexaa__Workers__RetryBaseSeconds"] = "0.5" });
        using var client = fault.Client();
        var id = await Api.SubmitOkAsync(client, fault.Clip, new() { ["format"] = "wav" });

        var retrying = await fault.WaitForAsync(client, id, j => j.GetProperty("error").ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(60));
        await fault.Disk.ResizeAsync(64 * MiB);
        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(90));
        var result = job.Status() == "succeeded" ? await client.GetByteArrayAsync($"/api/v1/jobs/{id}/result") : [];

        Figures.Fault("disk-full-encoding-retried", 1, job.Status() == "succeeded" && result.Length > 900_000 ? 0 : 1);
        Assert.Equal("insufficient-storage", retrying.GetProperty("error").GetProperty("code").GetString());
        Assert.NotEqual("failed", retrying.Status());
        Assert.Equal("succeeded", job.Status());
        Assert.True(job.GetProperty("attempts").GetInt32() >= 2);
        // 5 s of 48 kHz stereo 16-bit PCM, whole: 960,000 bytes, a header and the AAC decoder's few padding frames.
        Assert.InRange(result.Length, 960_000, 970_000);
        Assert.Empty(fault.FilesUnder("tmp", "jobs"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Results_that_do_not_fit_in_storage_fail_the_job_with_insufficient_storage_and_publish_nothing()
    {
        // Room for the input (about 80 KB), not for its WAV (about 1 MB).
        await using var fault = await FaultServer.StartAsync("files", MiB / 2, new() { ["Vexaa__Workers__MaxAttempts"] = "2" });
        using var client = fault.Client();
        var id = await Api.SubmitOkAsync(client, fault.Clip, new() { ["format"] = "wav" });

        var job = await Api.WaitAsync(client, id, TimeSpan.FromSeconds(90));
        var left = fault.Disk.Files();
        var code = job.GetProperty("error").ValueKind == JsonValueKind.Object ? job.GetProperty("error").GetProperty("code").GetString() : null;

        Figures.Fault("disk-full-storing-results", 1, job.Status() == "failed" && code == "insufficient-storage" && left.All(f => f.EndsWith("/input", StringComparison.Ordinal)) ? 0 : 1);
        Assert.Equal("failed", job.Status());
        Assert.Equal("insufficient-storage", code);
        Assert.Empty(job.GetProperty("results").EnumerateArray());
        // The input stays (a failed job can be retried); no result, whole or partial, and no temporary file.
        Assert.Equal([$"jobs/{id}/input"], left);
        Assert.Empty(fault.FilesUnder("tmp", "jobs"));
    }
}
