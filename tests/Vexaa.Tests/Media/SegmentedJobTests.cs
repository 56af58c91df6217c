using System.Net;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

/// <summary>A worker with idle cores encodes a long MP3 or FLAC in segments, and the result has every sample of the one-pass result.</summary>
public sealed class SegmentedJobTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(workers: 1);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 240_000)]
    public async Task A_long_mp3_job_on_an_idle_worker_is_encoded_in_segments_and_decodes_to_every_sample()
    {
        var input = _dir["lecture.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=130", "-ac", "2", "-c:a", "aac", input);
        var output = _dir["lecture.mp3"];
        await File.WriteAllBytesAsync(output, await ConvertInSegmentsAsync(input, "mp3"));
        Assert.Equal(await SamplesAsync(input), await SamplesAsync(output));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_long_flac_job_on_an_idle_worker_is_encoded_in_segments_with_the_md5_of_every_sample()
    {
        var input = _dir["lecture.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "anoisesrc=a=0.1:d=130:r=48000:seed=2", "-ac", "2", "-c:a", "aac", input);
        var output = _dir["lecture.flac"];
        var bytes = await ConvertInSegmentsAsync(input, "flac");
        await File.WriteAllBytesAsync(output, bytes);
        Assert.Equal(await SamplesAsync(input), await SamplesAsync(output));
        var md5 = await Proc.RunAsync("ffmpeg", ["-v", "error", "-i", output, "-map", "0:a", "-c:a", "pcm_s24le", "-f", "md5", "-"]);
        Assert.Equal("MD5=" + Convert.ToHexStringLower(bytes.AsSpan(8 + 18, 16)), md5.Stdout.Trim());
    }

    /// <summary>Submits the input as a job, checks it succeeded in two segments, and downloads the result.</summary>
    private async Task<byte[]> ConvertInSegmentsAsync(string input, string format)
    {
        using var client = _server.Client(_server.AdminKey);
        using var form = new MultipartFormDataContent { { new StringContent(format), "format" }, { new StreamContent(File.OpenRead(input)), "file", Path.GetFileName(input) } };

        using var response = await client.PostAsync("/api/v1/jobs", form);
        var body = await Api.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var job = await Api.WaitAsync(client, body.GetProperty("id").GetString()!);

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.True(_server.Output.Contains(" in 2 segments at once", StringComparison.Ordinal), _server.Output);
        return await client.GetByteArrayAsync(job.GetProperty("results")[0].GetProperty("url").GetString());
    }

    private async Task<long> SamplesAsync(string path)
    {
        var raw = _dir[Path.GetFileName(path) + ".raw"];
        await Proc.FfmpegAsync("-i", path, "-f", "s16le", raw);
        return new FileInfo(raw).Length / 4;
    }
}
