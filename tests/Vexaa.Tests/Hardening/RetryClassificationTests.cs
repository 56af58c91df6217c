using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>A failure that the same input and options will always repeat is not retried; tags from a file are bounded.</summary>
[Collection(MediaCollection.Name)]
public sealed class RetryClassificationTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    [Fact(Timeout = 90_000)]
    public async Task A_deterministic_ffmpeg_failure_fails_the_job_after_one_attempt()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);

        // Debian's ffmpeg 5.1 cannot open libopus for 5.1(side) audio: the same every time.
        var id = await Api.SubmitOkAsync(client, media["surround-ac3.mkv"], new() { ["format"] = "opus" });
        var job = await Api.WaitAsync(client, id);

        Assert.Equal("failed", job.Status());
        Assert.Equal("encoding-failed", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
    }

    [Fact(Timeout = 30_000)]
    public async Task Huge_and_numerous_tags_in_a_file_are_capped_before_they_are_stored()
    {
        var metadata = _out["tags.txt"];
        var lines = new List<string> { ";FFMETADATA1", "title=" + new string('x', 200_000) };
        lines.AddRange(Enumerable.Range(0, 150).Select(i => $"key{i}=value {i}"));
        await File.WriteAllLinesAsync(metadata, lines);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-f", "ffmetadata", "-i", metadata, "-map", "0", "-map_metadata", "1",
            "-t", "1", "-c:a", "flac", _out["tagged.mkv"]);

        var info = await new MediaProber(MediaTools.Locate()).ProbeAsync(_out["tagged.mkv"], CancellationToken.None);

        Assert.InRange(info.Tags.Count, 1, 64);
        Assert.All(info.Tags.Values, v => Assert.True(v.Length <= 1025, $"{v.Length} characters"));
        Assert.StartsWith("xxxx", info.Tags["title"]);
    }
}
