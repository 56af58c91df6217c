using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>Malformed multipart bodies are the client's fault (400 malformed-multipart); the form's envelope is not the upload.</summary>
[Collection(MediaCollection.Name)]
public sealed class MultipartTests(TestMedia media)
{
    private static async Task<(int Status, string? Code)> PostRawAsync(HttpClient client, string contentType, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync("/api/v1/jobs", content);
        return await Api.ProblemAsync(response);
    }

    private const string FilePart = "--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n";

    [Fact(Timeout = 60_000)]
    public async Task Unterminated_garbage_and_wrong_boundary_bodies_get_400_with_a_code()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var client = server.Client(server.AdminKey);
        var garbage = new byte[20_000];
        new Random(7).NextBytes(garbage);

        Assert.Equal((400, "malformed-multipart"), await PostRawAsync(client, "multipart/form-data; boundary=b1", Encoding.ASCII.GetBytes(FilePart + "some bytes and then nothing")));
        Assert.Equal((400, "malformed-multipart"), await PostRawAsync(client, "multipart/form-data; boundary=b1", garbage));
        Assert.Equal((400, "malformed-multipart"), await PostRawAsync(client, "multipart/form-data; boundary=other", Encoding.ASCII.GetBytes(FilePart + "data\r\n--b1--\r\n")));
        Assert.Equal((400, "malformed-multipart"), await PostRawAsync(client, "multipart/form-data", Encoding.ASCII.GetBytes(FilePart + "data\r\n--b1--\r\n")));
        Assert.Equal((400, "malformed-multipart"), await PostRawAsync(client, "multipart/form-data; boundary=\"unclosed", Encoding.ASCII.GetBytes(FilePart)));
        Assert.Equal((400, "malformed-multipart"), await PostRawAsync(client, "multipart/form-data; boundary=" + new string('x', 200), Encoding.ASCII.GetBytes(FilePart)));

        // Nothing was kept from any of them.
        var jobs = Path.Combine(server.DataDirectory, "files", "jobs");
        Assert.False(Directory.Exists(jobs) && Directory.EnumerateFiles(jobs, "*", SearchOption.AllDirectories).Any());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_file_exactly_at_the_upload_limit_is_accepted_despite_the_forms_envelope()
    {
        var file = media["good-h264-aac.mp4"];
        var size = new FileInfo(file).Length;
        await using var server = await ServerProcess.StartAsync(workers: 0, new() { ["Vexaa__Limits__MaxUploadBytes"] = size.ToString() });
        using var client = server.Client(server.AdminKey);

        using var accepted = await Api.SubmitAsync(client, file, new() { ["format"] = "mp3", ["bitrate"] = "128k" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // One byte more in the file itself is still refused.
        var bigger = Path.Combine(Path.GetTempPath(), "vexaa-bigger-" + Guid.NewGuid().ToString("N")[..8] + ".mp4");
        await File.WriteAllBytesAsync(bigger, [.. await File.ReadAllBytesAsync(file), 0]);
        try
        {
            using var refused = await Api.SubmitAsync(client, bigger, new() { ["format"] = "mp3" });
            Assert.Equal((413, "payload-too-large"), await Api.ProblemAsync(refused));
        }
        finally
        {
            File.Delete(bigger);
        }
    }
}
