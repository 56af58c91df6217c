using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>The public API the web page is built on: sessions, CSRF, probing uploads, zips of results, administration, headers.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebApiTests(TestMedia media, SharedServer shared) : IClassFixture<SharedServer>
{
    // One server for the class: each test makes its own people, uploads and jobs.
    private readonly ServerProcess _server = shared.Server;

    private static Task<(int Status, string? Code)> ProblemAsync(HttpResponseMessage response) => Api.ProblemAsync(response);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) => Api.SignInAsync(client, user, password);

    private HttpClient Browserlike() => Api.CookieClient(_server.BaseAddress);

    [Fact(Timeout = 120_000)]
    public async Task A_finished_upload_can_be_probed_but_not_someone_elses_or_an_unfinished_one()
    {
        using var admin = _server.Client(_server.AdminKey);
        using var other = _server.Client(await _server.CreateUserKeyAsync("olga"));
        var file = media["good-two-audio-tracks.mp4"];
        var finished = await TusUploadAsync(admin, file, new FileInfo(file).Length);
        var unfinished = await TusUploadAsync(admin, file, 1000);

        var probe = await admin.GetFromJsonAsync<JsonElement>($"{finished}/probe");
        Assert.InRange(probe.GetProperty("durationSeconds").GetDouble(), 4.9, 5.1);
        var tracks = probe.GetProperty("audioTracks");
        Assert.Equal(2, tracks.GetArrayLength());
        Assert.Equal("deu", tracks[1].GetProperty("language").GetString());
        Assert.True(tracks[1].GetProperty("isDefault").GetBoolean());

        Assert.Equal((409, "upload-unfinished"), await ProblemAsync(await admin.GetAsync($"{unfinished}/probe")));
        Assert.Equal((404, "not-found"), await ProblemAsync(await other.GetAsync($"{finished}/probe")));
        Assert.Equal((404, "not-found"), await ProblemAsync(await admin.GetAsync("/api/v1/uploads/abcdefghijklmnopqrstuvwxyz/probe")));

        // Probing does not use the upload up: it still becomes a job.
        var id = finished.Split('/')[^1];
        using var created = await admin.PostAsJsonAsync("/api/v1/jobs", new { uploadId = id, format = "mp3", track = 0 });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);

        var text = await TusUploadAsync(admin, media["broken-text.mp4"], new FileInfo(media["broken-text.mp4"]).Length);
        using var notMedia = await admin.GetAsync($"{text}/probe");
        var detail = (await Api.JsonAsync(notMedia)).GetProperty("detail").GetString()!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notMedia.StatusCode);
        Assert.Contains("'broken-text.mp4'", detail);
        Assert.DoesNotContain(_server.DataDirectory, detail);
    }

    /// <summary>Uploads the first <paramref name="bytes"/> bytes of a file by tus; returns the upload's path.</summary>
    private static async Task<string> TusUploadAsync(HttpClient client, string file, long bytes)
    {
        var content = (await File.ReadAllBytesAsync(file))[..(int)bytes];
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
        create.Headers.Add("Tus-Resumable", "1.0.0");
        create.Headers.Add("Upload-Length", new FileInfo(file).Length.ToString(CultureInfo.InvariantCulture));
        create.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file))));
        using var created = await client.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(content) };
        patch.Headers.Add("Tus-Resumable", "1.0.0");
        patch.Headers.Add("Upload-Offset", "0");
        patch.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(patch)).StatusCode);
        return location;
    }

    [Fact(Timeout = 120_000)]
    public async Task The_archive_zips_the_results_of_the_callers_succeeded_jobs_without_compressing_them()
    {
        using var admin = _server.Client(_server.AdminKey);
        using var other = _server.Client(await _server.CreateUserKeyAsync("otto"));
        var a = await Api.SubmitOkAsync(admin, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        var b = await Api.SubmitOkAsync(admin, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        var tracks = await Api.SubmitOkAsync(admin, media["good-two-audio-tracks.mp4"], new() { ["format"] = "opus", ["allTracks"] = "true" });
        var failed = await Api.SubmitOkAsync(admin, media["broken-text.mp4"]);
        foreach (var id in new[] { a, b, tracks, failed })
        {
            await Api.WaitAsync(admin, id);
        }

        using var response = await admin.GetAsync($"/api/v1/jobs/archive?ids={a},{b},{tracks}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".zip", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.True(response.Headers.TransferEncodingChunked, "the zip is streamed as it is written, not built first");
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["good-h264-aac (2).mp3", "good-h264-aac.mp3", "good-two-audio-tracks.track0-eng.opus", "good-two-audio-tracks.track1-deu.opus"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray());
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        using var single = await admin.GetAsync($"/api/v1/jobs/{a}/result");
        var expected = await single.Content.ReadAsByteArrayAsync();
        await using (var entry = await zip.GetEntry("good-h264-aac.mp3")!.OpenAsync())
        using (var copy = new MemoryStream())
        {
            await entry.CopyToAsync(copy);
            Assert.Equal(expected, copy.ToArray());
        }

        Assert.Equal((404, "not-found"), await ProblemAsync(await other.GetAsync($"/api/v1/jobs/archive?ids={a}")));
        Assert.Equal((404, "not-found"), await ProblemAsync(await admin.GetAsync($"/api/v1/jobs/archive?ids={a},abcdefghijklmnopqrstuvwxyz")));
        Assert.Equal((409, "not-finished"), await ProblemAsync(await admin.GetAsync($"/api/v1/jobs/archive?ids={a},{failed}")));
        Assert.Equal((400, "invalid-request"), await ProblemAsync(await admin.GetAsync("/api/v1/jobs/archive")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Only_administrators_add_people_and_keys_and_each_secret_is_shown_once()
    {
        using var admin = _server.Client(_server.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new { name = "petra", admin = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var petra = await Api.JsonAsync(created);
        var password = petra.GetProperty("password").GetString()!;
        Assert.Equal(24, password.Length);
        Assert.Equal((409, "conflict"), await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/admin/users", new { name = "petra" })));
        Assert.Equal((400, "invalid-request"), await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/admin/users", new { name = "<script>" })));

        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users");
        Assert.Contains(users.EnumerateArray(), u => u.GetProperty("name").GetString() == "petra" && !u.GetProperty("isAdmin").GetBoolean());
        Assert.DoesNotContain("password", users.ToString(), StringComparison.OrdinalIgnoreCase);

        using var keyResponse = await admin.PostAsJsonAsync("/api/v1/admin/users/petra/keys", new { label = "laptop" });
        Assert.Equal(HttpStatusCode.Created, keyResponse.StatusCode);
        var key = (await Api.JsonAsync(keyResponse)).GetProperty("key").GetString()!;
        Assert.Equal((404, "not-found"), await ProblemAsync(await admin.PostAsync("/api/v1/admin/users/nobody/keys", null)));

        using var petraByKey = _server.Client(key);
        Assert.Equal("petra", (await petraByKey.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("name").GetString());
        using var petraBySession = Browserlike();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(petraBySession, "petra", password)).StatusCode);
        foreach (var client in new[] { petraByKey, petraBySession })
        {
            Assert.Equal((403, "forbidden"), await ProblemAsync(await client.GetAsync("/api/v1/admin/users")));
            Assert.Equal((403, "forbidden"), await ProblemAsync(await client.PostAsJsonAsync("/api/v1/admin/users", new { name = "eve", admin = true })));
            Assert.Equal((403, "forbidden"), await ProblemAsync(await client.PostAsync("/api/v1/admin/users/petra/keys", null)));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task The_job_feed_streams_every_job_of_the_caller_and_no_one_elses()
    {
        using var admin = _server.Client(_server.AdminKey);
        using var other = _server.Client(await _server.CreateUserKeyAsync("fiona"));
        using var stream = await admin.GetStreamAsync("/api/v1/jobs/events");
        using var reader = new StreamReader(stream);
        var others = await Api.SubmitOkAsync(other, media["good-h264-aac.mp4"]);
        var first = await Api.SubmitOkAsync(admin, media["good-h264-aac.mp4"]);
        var second = await Api.SubmitOkAsync(admin, media["good-mpeg4-mp3.avi"]);

        var succeeded = new HashSet<string>();
        var seen = new HashSet<string>();
        string? kind = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (succeeded.Count < 2 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind is "state" or "progress")
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                var id = data.GetProperty("id").GetString()!;
                seen.Add(id);
                if (kind == "state" && data.GetProperty("status").GetString() == "succeeded")
                {
                    succeeded.Add(id);
                }
            }
        }

        Assert.Equal(new[] { first, second }.Order(), succeeded.Order());
        Assert.DoesNotContain(others, seen);
    }

    [Fact(Timeout = 60_000)]
    public async Task Pages_carry_a_strict_content_security_policy_and_the_usual_security_headers()
    {
        using var anonymous = _server.Client();
        foreach (var path in new[] { "/", "/app.css", "/js/app.js", "/vendor/tus.min.js" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("media-src 'self' blob:", csp);
            Assert.DoesNotContain("unsafe", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        }

        var page = await anonymous.GetStringAsync("/");
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", page);
        Assert.DoesNotContain(" style=", page);
        Assert.DoesNotMatch("<[^>]*\\son[a-z]+\\s*=", page);

        using var api = await anonymous.GetAsync("/api/v1/me");
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
        using var docs = await anonymous.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("frame-ancestors 'none'", docs.Headers.GetValues("Content-Security-Policy").Single());

        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/session", "/api/v1/uploads/{id}/probe", "/api/v1/jobs/archive", "/api/v1/jobs/events", "/api/v1/admin/users", "/api/v1/admin/users/{name}/keys" })
        {
            Assert.Contains($"\"{path}\"", openApi);
        }
    }
}
