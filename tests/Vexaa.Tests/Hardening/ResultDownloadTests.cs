using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>Results: HEAD, unknown Range units, names cleaned of bidi overrides, reused results named after this upload.</summary>
[Collection(MediaCollection.Name)]
public sealed class ResultDownloadTests(TestMedia media) : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(workers: 1);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> ConvertAsync(HttpClient client, string fileName, Dictionary<string, string>? fields = null)
    {
        using var response = await Api.SubmitAsync(client, media["good-h264-aac.mp4"], fields ?? new() { ["format"] = "mp3", ["bitrate"] = "128k" }, fileName: fileName);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Api.JsonAsync(response)).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitAsync(client, id)).Status());
        return id;
    }

    [Fact(Timeout = 120_000)]
    public async Task Head_on_a_result_answers_200_with_its_headers_and_no_body()
    {
        using var client = _server.Client(_server.AdminKey);
        var id = await ConvertAsync(client, "head.mp4");
        var whole = await client.GetByteArrayAsync($"/api/v1/jobs/{id}/result");

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/jobs/{id}/result"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(whole.Length, head.Content.Headers.ContentLength);
        Assert.NotNull(head.Headers.ETag);
        Assert.Equal("audio/mpeg", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using var headIndexed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/jobs/{id}/results/0"));
        Assert.Equal(HttpStatusCode.OK, headIndexed.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_range_in_an_unknown_unit_is_ignored_and_the_whole_file_sent()
    {
        using var client = _server.Client(_server.AdminKey);
        var id = await ConvertAsync(client, "range.mp4");
        var whole = await client.GetByteArrayAsync($"/api/v1/jobs/{id}/result");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/result");
        request.Headers.TryAddWithoutValidation("Range", "items=0-1");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
        // Byte ranges still work.
        using var bytes = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/result") { Headers = { Range = new RangeHeaderValue(0, 9) } };
        using var partial = await client.SendAsync(bytes);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(10, (await partial.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact(Timeout = 120_000)]
    public async Task Bidi_overrides_and_invisible_characters_are_stripped_from_download_and_zip_names()
    {
        using var client = _server.Client(_server.AdminKey);
        var id = await ConvertAsync(client, "invoice\u202Egpj\u200B\u2066.mp4");

        using var download = await client.GetAsync($"/api/v1/jobs/{id}/result");
        var name = download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName!;
        Assert.Equal("invoicegpj.mp3", name);
        using var archive = await client.GetAsync($"/api/v1/jobs/archive?ids={id}");
        using var zip = new ZipArchive(new MemoryStream(await archive.Content.ReadAsByteArrayAsync()));
        Assert.Equal("invoicegpj.mp3", Assert.Single(zip.Entries).FullName);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_reused_result_is_named_after_this_upload_not_the_earlier_one()
    {
        using var client = _server.Client(_server.AdminKey);
        var fields = new Dictionary<string, string> { ["format"] = "opus", ["allTracks"] = "true" };
        await ConvertAsync(client, "first-name.mp4", fields);
        var second = await ConvertAsync(client, "second-name.mp4", fields);

        Assert.Contains($"Job {second}: reused", _server.Output);
        using var download = await client.GetAsync($"/api/v1/jobs/{second}/result");
        Assert.Equal("second-name.opus", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        var job = await Api.WaitAsync(client, second);
        Assert.All(job.GetProperty("results").EnumerateArray(), r => Assert.StartsWith("second-name", r.GetProperty("fileName").GetString()));
    }

    [Fact(Timeout = 60_000)]
    public async Task Webhooks_to_the_unspecified_address_or_a_name_that_does_not_resolve_are_refused_at_submission()
    {
        using var client = _server.Client(_server.AdminKey);
        foreach (var url in new[] { "http://0.0.0.0:9/hook", "http://[::]:9/hook", "http://no-such-host.invalid/hook" })
        {
            using var response = await Api.SubmitAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["webhookUrl"] = url });
            Assert.Equal((400, "webhook-address-refused"), await Api.ProblemAsync(response));
        }
    }
}
