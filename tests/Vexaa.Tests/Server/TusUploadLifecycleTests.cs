using System.Net;
using System.Net.Http.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Whose an upload is, when it may become a job, and when it goes away.</summary>
public sealed class TusUploadLifecycleTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly HttpClient _client = shared.Admin;

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync("/api/v1/jobs", body);

    [Fact(Timeout = 60_000)]
    public async Task Another_users_upload_answers_404_and_cannot_become_their_job()
    {
        var url = await Tus.CreateAsync(_client, 6);
        (await Tus.PatchAsync(_client, url, 0, [1, 2, 3])).Dispose();
        var id = Tus.IdOf(url);
        using var mallory = shared.Server.Client(await shared.Server.CreateUserKeyAsync("mallory-" + Guid.NewGuid().ToString("N")[..6]));

        Assert.Null(await Tus.OffsetAsync(mallory, url));
        using var patch = await Tus.PatchAsync(mallory, url, 3, [4, 5, 6]);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        using var delete = await mallory.SendAsync(Tus.Request(HttpMethod.Delete, url));
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        (await Tus.PatchAsync(_client, url, 3, [4, 5, 6])).Dispose();
        using var job = await SubmitAsync(mallory, new { uploadId = id, format = "mp3" });
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);

        // The owner's upload came through all of that untouched.
        Assert.Equal(6, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unfinished_upload_cannot_become_a_job()
    {
        var url = await Tus.CreateAsync(_client, 10);
        (await Tus.PatchAsync(_client, url, 0, [1, 2, 3])).Dispose();

        using var response = await SubmitAsync(_client, new { uploadId = Tus.IdOf(url), format = "mp3" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("input-not-found", (await Api.JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(3, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_job_request_refused_for_its_webhookUrl_leaves_the_upload_usable()
    {
        var id = await Tus.UploadAsync(_client, "not really a video"u8.ToArray());

        using var refused = await SubmitAsync(_client, new { uploadId = id, format = "mp3", webhookUrl = "ftp://example.com/hook" });
        using var accepted = await SubmitAsync(_client, new { uploadId = id, format = "mp3" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_upload_expires_and_its_file_is_removed_from_the_data_folder()
    {
        // 0.001 h (3.6 s) is the shortest retention the settings accept.
        await using var server = await ServerProcess.StartAsync(workers: 0, settings: new() { ["Vexaa__Retention__UploadHours"] = "0.001" });
        using var client = server.Client(server.AdminKey);
        var url = await Tus.CreateAsync(client, 10);
        (await Tus.PatchAsync(client, url, 0, [1, 2, 3])).Dispose();
        var folder = Tus.StoredFolder(server.DataDirectory, url);
        Assert.Equal(3, await Tus.OffsetAsync(client, url));
        Assert.True(Directory.Exists(folder));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((Directory.Exists(folder) || await Tus.OffsetAsync(client, url) is not null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.False(Directory.Exists(folder), "the expired upload's chunks are still there");
        Assert.Null(await Tus.OffsetAsync(client, url));
        using var patch = await Tus.PatchAsync(client, url, 3, [4]);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Upload_files_in_the_layout_before_the_file_store_are_removed()
    {
        var data = Path.Combine(Path.GetTempPath(), "vexaa-legacy-" + Guid.NewGuid().ToString("N")[..8]);
        var legacy = Path.Combine(data, "uploads");
        Directory.CreateDirectory(legacy);
        await File.WriteAllBytesAsync(Path.Combine(legacy, "abcdefghijklmnopqrstuvwxyz"), [1, 2, 3]);

        await using var server = await ServerProcess.StartAsync(workers: 1, dataDirectory: data);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.Exists(legacy) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.False(Directory.Exists(legacy), "the old uploads folder is still there");
    }
}
