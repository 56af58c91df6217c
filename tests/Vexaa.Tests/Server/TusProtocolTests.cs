using System.Net;
using System.Text;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>The tus 1.0 answers, request by request over raw HTTP: what a client of any make relies on.</summary>
public sealed class TusProtocolTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly HttpClient _client = shared.Admin;

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));

    [Fact(Timeout = 30_000)]
    public async Task Options_advertises_the_version_the_extensions_and_the_checksum_algorithm()
    {
        using var request = Tus.Request(HttpMethod.Options, "/api/v1/uploads/", version: null);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", Header(response, "Tus-Version"));
        Assert.Equal(["creation", "termination", "expiration", "checksum"], Header(response, "Tus-Extension").Split(','));
        Assert.Equal("sha1", Header(response, "Tus-Checksum-Algorithm"));
        Assert.True(long.Parse(Header(response, "Tus-Max-Size")) > 0);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(null)]
    [InlineData("0.2.2")]
    [InlineData("1.0")]
    public async Task Requests_without_the_right_Tus_Resumable_are_refused_with_412(string? version)
    {
        var url = await Tus.CreateAsync(_client, 10);
        using var create = Tus.Request(HttpMethod.Post, "/api/v1/uploads/", version);
        create.Headers.Add("Upload-Length", "10");
        using var head = Tus.Request(HttpMethod.Head, url, version);
        using var patch = Tus.Request(HttpMethod.Patch, url, version);
        patch.Content = new ByteArrayContent([1, 2, 3]);
        patch.Content.Headers.ContentType = new("application/offset+octet-stream");
        patch.Headers.Add("Upload-Offset", "0");

        foreach (var request in new[] { create, head, patch })
        {
            using var response = await _client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.PreconditionFailed, $"{request.Method}: {response.StatusCode}");
            Assert.Equal("1.0.0", Header(response, "Tus-Version"));
        }

        Assert.Equal(0, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_chunk_whose_sha1_does_not_match_is_refused_with_460_and_the_offset_stays()
    {
        var url = await Tus.CreateAsync(_client, 10);
        using (var first = await Tus.PatchAsync(_client, url, 0, "01234"u8.ToArray(), Tus.Sha1("01234"u8.ToArray())))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using var response = await Tus.PatchAsync(_client, url, 5, "56789"u8.ToArray(), Tus.Sha1("5678X"u8.ToArray()));

        Assert.Equal(460, (int)response.StatusCode);
        Assert.Contains("checksum-mismatch", await response.Content.ReadAsStringAsync());
        Assert.Equal(5, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_chunk_with_the_right_sha1_is_accepted_with_204_and_moves_the_offset()
    {
        var url = await Tus.CreateAsync(_client, 10);
        var bytes = Encoding.ASCII.GetBytes("0123456789");

        using var response = await Tus.PatchAsync(_client, url, 0, bytes, Tus.Sha1(bytes));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("10", Header(response, "Upload-Offset"));
        Assert.Equal(10, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_chunk_at_the_wrong_offset_is_refused_with_409_and_nothing_is_written()
    {
        var url = await Tus.CreateAsync(_client, 10);
        (await Tus.PatchAsync(_client, url, 0, [1, 2, 3])).Dispose();

        using var ahead = await Tus.PatchAsync(_client, url, 5, [4, 5]);
        using var behind = await Tus.PatchAsync(_client, url, 0, [4, 5]);

        Assert.Equal(HttpStatusCode.Conflict, ahead.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, behind.StatusCode);
        Assert.Equal("3", Header(behind, "Upload-Offset"));
        Assert.Equal(3, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_chunked_body_without_Content_Length_that_fits_is_accepted_whole()
    {
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        var url = await Tus.CreateAsync(_client, bytes.Length);

        using var response = await Tus.PatchAsync(_client, url, 0, bytes, chunked: true);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(bytes.Length, await Tus.OffsetAsync(_client, url));
        Assert.Equal(bytes, await Tus.StoredBytesAsync(shared.Server.DataDirectory, url));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(7, false)]
    [InlineData(7, true)]
    [InlineData(100_000, false)]
    [InlineData(100_000, true)]
    public async Task A_chunk_past_Upload_Length_is_refused_with_413_and_nothing_of_it_is_kept(int size, bool chunked)
    {
        var url = await Tus.CreateAsync(_client, 10);
        (await Tus.PatchAsync(_client, url, 0, [1, 2, 3, 4])).Dispose();

        using var response = await Tus.PatchAsync(_client, url, 4, new byte[size], chunked: chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(4, await Tus.OffsetAsync(_client, url));
        using var rest = await Tus.PatchAsync(_client, url, 4, new byte[6], chunked: chunked);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(10, await Tus.OffsetAsync(_client, url));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_deleted_upload_answers_404_and_its_file_is_gone()
    {
        var url = await Tus.CreateAsync(_client, 10);
        (await Tus.PatchAsync(_client, url, 0, [1, 2, 3])).Dispose();
        var folder = Tus.StoredFolder(shared.Server.DataDirectory, url);
        Assert.Single(Directory.GetFiles(folder));

        using var delete = await _client.SendAsync(Tus.Request(HttpMethod.Delete, url));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Null(await Tus.OffsetAsync(_client, url));
        Assert.False(Directory.Exists(folder));
        using var again = await _client.SendAsync(Tus.Request(HttpMethod.Delete, url));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_patch_at_an_offset_past_the_upload_length_is_a_409_not_a_500()
    {
        var url = await Tus.CreateAsync(_client, 10);
        using var patch = Tus.Request(HttpMethod.Patch, url);
        patch.Content = new ByteArrayContent([1, 2, 3]);
        patch.Content.Headers.ContentType = new("application/offset+octet-stream");
        patch.Headers.Add("Upload-Offset", "5000");

        using var response = await _client.SendAsync(patch);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("0", Header(response, "Upload-Offset"));
        Assert.Contains("\"offset-mismatch\"", await response.Content.ReadAsStringAsync());
    }
}
