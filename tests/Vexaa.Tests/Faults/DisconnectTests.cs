using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Faults;

/// <summary>
/// Clients that hang up mid-upload and mid-download, against a real server: a tus upload keeps exactly what arrived (or,
/// with a checksum, nothing) and resumes to identical bytes; a form cut short leaves no job and no file; downloads
/// abandoned halfway leave the server healthy, with no file held open, and the next download is whole.
/// </summary>
public sealed class DisconnectTests
{
    private static Dictionary<string, string> Auth(ServerProcess server, Dictionary<string, string> more)
    {
        more["Authorization"] = "Bearer " + server.AdminKey;
        return more;
    }

    /// <summary>A PATCH, sent again while the server is still noticing that the last one's client went away (409 upload-busy).</summary>
    private static async Task<HttpResponseMessage> PatchWhenFreeAsync(HttpClient client, string url, long offset, byte[] bytes, string? checksum = null)
    {
        for (var i = 0; ; i++)
        {
            var response = await Tus.PatchAsync(client, url, offset, bytes, checksum);
            if (response.StatusCode != HttpStatusCode.Conflict || i == 100)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    /// <summary>Where the upload stands once no request is writing to it any more.</summary>
    private static async Task<long> SettledOffsetAsync(HttpClient client, string url)
    {
        // A zero-byte PATCH at the current offset claims the upload, so it answers 204 only once the hung-up one let go.
        for (var i = 0; i < 100; i++)
        {
            var offset = await Tus.OffsetAsync(client, url) ?? -1;
            using var probe = await Tus.PatchAsync(client, url, offset, []);
            if (probe.StatusCode == HttpStatusCode.NoContent)
            {
                return offset;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The hung-up PATCH never let go of the upload.");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tus_upload_whose_client_hangs_up_keeps_what_arrived_and_resumes_to_identical_bytes()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var client = server.Client(server.AdminKey);
        var bytes = Bytes.Random(3 * 1024 * 1024, seed: 7);
        var url = await Tus.CreateAsync(client, bytes.Length);
        var headers = new Dictionary<string, string> { ["Tus-Resumable"] = Tus.Version, ["Content-Type"] = "application/offset+octet-stream" };

        // Without a checksum, what arrived before the hang-up is kept: the offset says how much.
        await HangUp.SendPartAsync(server.BaseAddress, "PATCH", url, Auth(server, new(headers) { ["Upload-Offset"] = "0" }), bytes, 1024 * 1024);
        var kept = await SettledOffsetAsync(client, url);
        var storedAfterFirst = await Tus.StoredBytesAsync(server.DataDirectory, url);

        // With one, a chunk that did not arrive whole cannot be verified, so none of it is kept.
        var rest = bytes[(int)kept..];
        var checksum = Tus.Sha1(rest);
        await HangUp.SendPartAsync(server.BaseAddress, "PATCH", url,
            Auth(server, new(headers) { ["Upload-Offset"] = kept.ToString(), ["Upload-Checksum"] = checksum }), rest, rest.Length / 2);
        var afterChecksummed = await SettledOffsetAsync(client, url);

        using var resumed = await PatchWhenFreeAsync(client, url, afterChecksummed, bytes[(int)afterChecksummed..], Tus.Sha1(bytes[(int)afterChecksummed..]));
        var stored = await Tus.StoredBytesAsync(server.DataDirectory, url);
        var scratch = Path.Combine(server.DataDirectory, "tmp", "uploads");
        var leftovers = Directory.Exists(scratch) ? Directory.GetFileSystemEntries(scratch) : [];

        var whole = resumed.StatusCode == HttpStatusCode.NoContent && stored.AsSpan().SequenceEqual(bytes) && leftovers.Length == 0;
        Figures.Fault("client-hangs-up-tus-patch", 2, whole ? 0 : 1);
        Assert.InRange(kept, 1, 1024 * 1024);
        Assert.True(storedAfterFirst.AsSpan().SequenceEqual(bytes.AsSpan(0, (int)kept)), "what was kept is exactly the first bytes sent");
        Assert.Equal(kept, afterChecksummed);
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        Assert.True(stored.AsSpan().SequenceEqual(bytes), "the finished upload holds exactly the bytes sent");
        Assert.Empty(leftovers);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_form_upload_whose_client_hangs_up_leaves_no_job_and_no_file()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        const string boundary = "vexaa-hangup";
        var file = Bytes.Random(4 * 1024 * 1024, seed: 3);
        var head = System.Text.Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nmp3\r\n"
            + $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n");
        var tail = System.Text.Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        byte[] body = [.. head, .. file, .. tail];

        const int HangUps = 3;
        foreach (var cut in new[] { head.Length / 2, head.Length + 1024 * 1024, body.Length - tail.Length })
        {
            await HangUp.SendPartAsync(server.BaseAddress, "POST", "/api/v1/jobs",
                Auth(server, new() { ["Content-Type"] = $"multipart/form-data; boundary={boundary}" }), body, cut);
        }

        // The server removes what it stored as soon as it notices; give it a moment to.
        var jobsFolder = Path.Combine(server.DataDirectory, "files", "jobs");
        string[] Stored() => Directory.Exists(jobsFolder) ? Directory.GetFileSystemEntries(jobsFolder) : [];
        for (var i = 0; i < 50 && Stored().Length > 0; i++)
        {
            await Task.Delay(100);
        }

        var left = Stored();
        var jobs = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength();
        var clip = Path.Combine(server.DataDirectory + "-clip.m4a");
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:a", "aac", clip);
        var after = await Api.WaitAsync(client, await Api.SubmitOkAsync(client, clip, new() { ["format"] = "mp3" }));
        File.Delete(clip);

        Figures.Fault("client-hangs-up-form-upload", HangUps, left.Length + jobs);
        Assert.Empty(left);
        Assert.Equal(0, jobs);
        Assert.Equal("succeeded", after.Status());
    }

    [Fact(Timeout = 120_000)]
    public async Task Downloads_abandoned_halfway_hold_nothing_open_and_the_next_download_is_whole()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        var clip = Path.Combine(server.DataDirectory + "-clip.m4a");
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "30", "-c:a", "aac", clip);
        var id = await Api.SubmitOkAsync(client, clip, new() { ["format"] = "wav" });
        File.Delete(clip);
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id)).Status());
        var whole = await client.GetByteArrayAsync($"/api/v1/jobs/{id}/result");

        const int HangUps = 20;
        for (var i = 0; i < HangUps; i++)
        {
            using var response = await client.GetAsync($"/api/v1/jobs/{id}/result", HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[64 * 1024]);
            // Disposing the response before the end aborts the connection: the client is gone mid-body.
        }

        var results = Path.Combine(server.DataDirectory, "files", "jobs", id, "results");
        int OpenResults() => Directory.GetFiles($"/proc/{server.ProcessId}/fd").Count(fd =>
        {
            try { return new FileInfo(fd).LinkTarget?.StartsWith(results, StringComparison.Ordinal) == true; }
            catch (IOException) { return false; }
        });
        for (var i = 0; i < 50 && OpenResults() > 0; i++)
        {
            await Task.Delay(100);
        }

        var open = OpenResults();
        using var health = await client.GetAsync("/readyz");
        var again = await client.GetByteArrayAsync($"/api/v1/jobs/{id}/result");

        Figures.Fault("client-hangs-up-download", HangUps, open > 0 || !again.AsSpan().SequenceEqual(whole) ? 1 : 0);
        Assert.Equal(0, open);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(whole.Length > 5_000_000, $"a result big enough to be cut off mid-body ({whole.Length} bytes)");
        Assert.Equal(Bytes.Sha256(whole), Bytes.Sha256(again));
    }
}
