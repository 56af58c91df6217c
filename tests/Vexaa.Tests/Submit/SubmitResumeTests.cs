using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Submit;

/// <summary>An upload cut off by killing the client continues, in the next run, from where the server stopped receiving.</summary>
public sealed class SubmitResumeTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 180_000)]
    public async Task A_killed_upload_resumes_from_the_servers_offset_instead_of_from_zero()
    {
        var input = _dir["big.mp4"];
        // About 3 MB: noise does not compress, so a few seconds of it make a file worth resuming.
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "nullsrc=size=320x240:rate=25,geq=random(1)*255:128:128", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "4", "-c:v", "mpeg4", "-q:v", "2", "-c:a", "aac", input);
        var length = new FileInfo(input).Length;
        using var cli = new SubmitCli(shared.Server.BaseAddress, shared.Server.AdminKey, _dir.Path);
        var slow = new Dictionary<string, string> { ["VEXAA_SUBMIT_RATE"] = "300000", ["VEXAA_SUBMIT_CHUNK_BYTES"] = "131072" };

        string url;
        using (var first = cli.Start([input, "--upload-whole", "-f", "mp3"], slow))
        {
            await first.WaitForAsync(e => SubmitCli.Event(e) == "progress" && e.GetProperty("phase").GetString() == "uploading" && e.GetProperty("bytes").GetInt64() > 600_000);
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
            using var state = JsonDocument.Parse(await File.ReadAllTextAsync(cli.StateFile));
            url = state.RootElement.EnumerateObject().Single().Value.GetProperty("url").GetString()!;
        }

        var head = new HttpRequestMessage(HttpMethod.Head, url) { Headers = { { "Tus-Resumable", "1.0.0" } } };
        var offset = long.Parse((await shared.Admin.SendAsync(head)).Headers.GetValues("Upload-Offset").Single());
        Assert.InRange(offset, 600_000, length - 1);

        var second = await cli.RunAsync([input, "--upload-whole", "-f", "mp3", "--json"]);

        Assert.True(second.ExitCode == 0, second.Stderr);
        var events = SubmitCli.Events(second);
        // The server may still have been storing the bytes of the chunk cut off when the offset was read: it only gains.
        var resumedAt = events.Single(e => SubmitCli.Event(e) == "resumed").GetProperty("offset").GetInt64();
        Assert.InRange(resumedAt, offset, length - 1);
        // Nothing before the server's offset is sent again: the first upload figure of this run is that offset.
        var uploading = events.Where(e => SubmitCli.Event(e) == "progress" && e.GetProperty("phase").GetString() == "uploading").ToList();
        Assert.Equal(resumedAt, uploading[0].GetProperty("bytes").GetInt64());
        Assert.All(uploading, e => Assert.InRange(e.GetProperty("bytes").GetInt64(), resumedAt, length));
        var jobId = events.Single(e => SubmitCli.Event(e) == "result").GetProperty("jobId").GetString()!;
        var job = await Api.JsonAsync(await shared.Admin.GetAsync($"/api/v1/jobs/{jobId}"));
        Assert.Equal(length, job.GetProperty("input").GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(input))), job.GetProperty("input").GetProperty("sha256").GetString());
        Assert.Equal("mp3", (await Proc.ProbeAsync(_dir["big.mp3"])).Codec);
    }
}
