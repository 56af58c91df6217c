using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Vexaa.Tests.Support;

/// <summary>Raw tus 1.0 requests, for tests that check the protocol's answers one by one.</summary>
public static class Tus
{
    public const string Version = "1.0.0";

    public static HttpRequestMessage Request(HttpMethod method, string url, string? version = Version)
    {
        var request = new HttpRequestMessage(method, url);
        if (version is not null)
        {
            request.Headers.Add("Tus-Resumable", version);
        }

        return request;
    }

    /// <summary>Creates an upload of <paramref name="length"/> bytes and returns its URL (a path on the server).</summary>
    public static async Task<string> CreateAsync(HttpClient client, long length, string fileName = "clip.mp4")
    {
        using var request = Request(HttpMethod.Post, "/api/v1/uploads/");
        request.Headers.Add("Upload-Length", length.ToString());
        request.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(fileName)));
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>Sends <paramref name="bytes"/> at <paramref name="offset"/>; <paramref name="chunked"/> leaves out Content-Length.</summary>
    public static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, long offset, byte[] bytes, string? checksum = null, bool chunked = false)
    {
        using var request = Request(HttpMethod.Patch, url);
        request.Content = chunked ? new UnknownLengthContent(bytes) : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Headers.Add("Upload-Offset", offset.ToString());
        if (checksum is not null)
        {
            request.Headers.Add("Upload-Checksum", checksum);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The server's Upload-Offset from a HEAD, or null when it answers 404.</summary>
    public static async Task<long?> OffsetAsync(HttpClient client, string url)
    {
        using var request = Request(HttpMethod.Head, url);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single());
    }

    /// <summary>A whole upload in one PATCH; returns its id.</summary>
    public static async Task<string> UploadAsync(HttpClient client, byte[] bytes)
    {
        var url = await CreateAsync(client, bytes.Length);
        using var response = await PatchAsync(client, url, 0, bytes);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return IdOf(url);
    }

    public static string IdOf(string url) => url[(url.LastIndexOf('/') + 1)..];

    /// <summary>Where a server on local storage keeps an upload's chunks: one file per accepted PATCH.</summary>
    public static string StoredFolder(string dataDirectory, string url) => Path.Combine(dataDirectory, "files", "uploads", IdOf(url));

    /// <summary>An upload's bytes as the server stored them on local disk: its chunk files, in offset order.</summary>
    public static async Task<byte[]> StoredBytesAsync(string dataDirectory, string url)
    {
        var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(StoredFolder(dataDirectory, url)).Order(StringComparer.Ordinal))
        {
            await using var chunk = File.OpenRead(file);
            await chunk.CopyToAsync(all);
        }

        return all.ToArray();
    }

    public static string Sha1(byte[] bytes) => "sha1 " + Convert.ToBase64String(SHA1.HashData(bytes));

    /// <summary>A body sent with Transfer-Encoding: chunked, as a streaming client sends one whose size it does not declare.</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
