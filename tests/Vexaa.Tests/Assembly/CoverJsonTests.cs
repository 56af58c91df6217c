using System.Net;
using System.Net.Http.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>A cover picture sent in JSON (base64), as the web page sends a frame it took from the video.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class CoverJsonTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);
    private readonly TempDir _out = new();

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_base64_picture_becomes_the_cover_and_what_is_not_base64_is_refused_without_using_the_upload()
    {
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", _out["frame.jpg"]);
        var upload = await Tus.UploadAsync(_client, await File.ReadAllBytesAsync(media["chapters.mp4"]));

        using var refused = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadId = upload, coverImage = "not a picture!" });
        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(refused));

        var picture = Convert.ToBase64String(await File.ReadAllBytesAsync(_out["frame.jpg"]));
        using var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { uploadId = upload, format = "flac", coverImage = picture });
        var body = await Api.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var job = await Api.WaitAsync(_client, body.GetProperty("id").GetString()!);
        Assert.True(job.Status() == "succeeded", job.ToString());

        var file = _out["cover.flac"];
        await File.WriteAllBytesAsync(file, await _client.GetByteArrayAsync(job.GetProperty("results")[0].GetProperty("url").GetString()));
        var stream = await Proc.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name,width,height:stream_disposition=attached_pic", "-of", "csv=p=0", file]);
        Assert.Equal("mjpeg,240,240,1", stream.Stdout.Trim());
    }
}
