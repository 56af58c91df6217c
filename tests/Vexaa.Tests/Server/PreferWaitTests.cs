using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>
/// <c>Prefer: wait=N</c> makes a short conversion one request: the answer waits for the job and leads to the result
/// (303), or carries the job's error (422), or is the usual 202 when the job needs longer or the client asked for async.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class PreferWaitTests(TestMedia media)
{
    [Fact(Timeout = 180_000)]
    public async Task A_job_submitted_with_prefer_wait_answers_with_its_result_its_error_or_202()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        var mp3 = new Dictionary<string, string> { ["format"] = "mp3", ["bitrate"] = "128k" };

        // Succeeded within the wait: 303 to the result, with the finished job as the body; the result is the MP3.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress };
        noRedirects.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        using (var answer = await SubmitAsync(noRedirects, media["good-h264-aac.mp4"], mp3, "wait=60"))
        {
            var job = await Api.JsonAsync(answer);
            Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
            Assert.Equal("succeeded", job.Status());
            Assert.Equal($"/api/v1/jobs/{job.GetProperty("id").GetString()}/result", answer.Headers.Location?.OriginalString);
            Assert.Equal("wait=60", string.Join(",", answer.Headers.GetValues("Preference-Applied")));
            using var result = await client.GetAsync(answer.Headers.Location);
            Assert.Equal("audio/mpeg", result.Content.Headers.ContentType?.MediaType);
            var bytes = await result.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length > 10_000 && (bytes[0] == 'I' || bytes[0] == 0xFF), $"{bytes.Length} bytes that are not an MP3");
        }

        // A job with several files (every track) leads to the zip of them.
        using (var answer = await SubmitAsync(noRedirects, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["allTracks"] = "true" }, "wait=60"))
        {
            var id = (await Api.JsonAsync(answer)).GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
            Assert.Equal($"/api/v1/jobs/archive?ids={id}", answer.Headers.Location?.OriginalString);
        }

        // Failed within the wait: the job's own error, as ProblemDetails naming the job.
        using (var failed = await SubmitAsync(client, media["broken-no-audio.mp4"], mp3, "wait=60"))
        {
            var problem = await Api.JsonAsync(failed);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
            Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-audio-stream", problem.GetProperty("code").GetString());
            var jobId = problem.GetProperty("jobId").GetString()!;
            Assert.Equal("failed", (await Api.WaitAsync(client, jobId)).Status());
        }

        // No wait, respond-async, a wait of 0 or one that is not a number: the usual 202 at once.
        foreach (var prefer in new[] { null, "respond-async, wait=60", "wait=0", "wait=soon" })
        {
            using var answer = await SubmitAsync(client, media["long-30s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" }, prefer);
            var job = await Api.JsonAsync(answer);
            Assert.True(answer.StatusCode == HttpStatusCode.Accepted, $"{prefer}: {answer.StatusCode} {job}");
            Assert.False(answer.Headers.Contains("Preference-Applied"), prefer);
            await client.DeleteAsync($"/api/v1/jobs/{job.GetProperty("id").GetString()}");
        }

        // A job that needs longer than the wait: 202 with the job as it is, once the wait is over.
        var started = DateTime.UtcNow;
        using (var slow = await SubmitAsync(client, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" }, "wait=1"))
        {
            var job = await Api.JsonAsync(slow);
            Assert.Equal(HttpStatusCode.Accepted, slow.StatusCode);
            Assert.Contains(job.Status(), new[] { "queued", "running" });
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "the answer came before the wait was over");
            Assert.Equal("succeeded", (await Api.WaitAsync(client, job.GetProperty("id").GetString()!, TimeSpan.FromSeconds(150))).Status());
        }
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string file, Dictionary<string, string> fields, string? prefer)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields)
        {
            form.Add(new StringContent(v), k);
        }

        form.Add(new StreamContent(File.OpenRead(file)), "file", Path.GetFileName(file));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = form };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        return await client.SendAsync(request);
    }
}
