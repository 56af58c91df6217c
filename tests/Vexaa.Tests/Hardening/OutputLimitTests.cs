using System.Diagnostics;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>The output limit is the job's total across its files, and what the probe proves too large is refused first.</summary>
[Collection(MediaCollection.Name)]
public sealed class OutputLimitTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    [Fact(Timeout = 60_000)]
    public async Task Two_compressed_tracks_each_under_the_limit_but_together_over_it_are_refused()
    {
        // Two 5 s tracks at 320k: about 200 KB each, 400 KB together.
        var r = await VexaaAsync("extract", media["good-two-audio-tracks.mp4"], "-o", "both.mp3", "--all-tracks", "--bitrate", "320k", "--max-output-size", "300K");

        Assert.True(r.ExitCode == MediaError.OutputSizeLimitExceeded.ExitCode(), r.Stderr);
        Assert.Empty(Directory.GetFiles(_out.Path, "*", SearchOption.AllDirectories));
        var each = await VexaaAsync("extract", media["good-two-audio-tracks.mp4"], "-o", "one.mp3", "--track", "0", "--bitrate", "320k", "--max-output-size", "300K");
        Assert.True(each.ExitCode == 0, each.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Uncompressed_output_the_probe_proves_too_large_is_refused_before_ffmpeg_writes_anything()
    {
        // 400 s of 48 kHz stereo as 16-bit WAV is 76.8 MB; the limit is 10 MB.
        var stopwatch = Stopwatch.StartNew();
        var r = await VexaaAsync("extract", media["long-400s.m4a"], "-o", "long.wav", "--max-output-size", "10M");
        stopwatch.Stop();

        Assert.True(r.ExitCode == MediaError.OutputSizeLimitExceeded.ExitCode(), r.Stderr);
        Assert.Contains("uncompressed", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_out.Path, "*", SearchOption.AllDirectories));
    }

    [Fact(Timeout = 90_000)]
    public async Task The_servers_max_output_bytes_holds_for_the_whole_job()
    {
        // Two 5 s mono WAV tracks: 480,000 bytes of samples each, under 700 kB apiece but not together.
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Limits__MaxOutputBytes"] = "700000" });
        using var client = server.Client(server.AdminKey);

        var id = await Api.SubmitOkAsync(client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "wav", ["allTracks"] = "true" });
        var job = await Api.WaitAsync(client, id);

        Assert.Equal("failed", job.Status());
        Assert.Equal("output-size-limit-exceeded", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
    }
}
