using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

[Collection(MediaCollection.Name)]
public sealed class BadInputTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<MediaException> FailAsync(string input, ExtractionOptions options, ExtractionLimits? limits = null, CancellationToken cancellationToken = default, IProgress<ExtractionProgress>? progress = null)
    {
        var extractor = new AudioExtractor(MediaTools.Locate(), limits ?? new ExtractionLimits());
        var e = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            var info = await extractor.ProbeAsync(media[input], cancellationToken);
            var plan = ExtractionPlanner.Plan(info, options);
            await extractor.RunAsync(media[input], info, plan, [_out["out" + plan.Outputs[0].Extension]], false, progress, cancellationToken);
        });
        Assert.Empty(_out.Files());
        Assert.Empty(Directory.GetFiles(_out.Path, "*", SearchOption.AllDirectories));
        return e;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_truncated_file_is_reported_as_truncated_and_leaves_nothing()
    {
        var e = await FailAsync("broken-truncated.mp4", new ExtractionOptions { Format = "mp3" });
        Assert.Equal(MediaError.TruncatedMedia, e.Error);
        Assert.Contains("cut short", e.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_truncated_file_is_caught_by_stream_copy_too() =>
        Assert.Equal(MediaError.TruncatedMedia, (await FailAsync("broken-truncated.mp4", new ExtractionOptions { Format = "original" })).Error);

    [Fact(Timeout = 60_000)]
    public async Task A_truncated_file_is_caught_while_measuring_loudness() =>
        Assert.Equal(MediaError.TruncatedMedia, (await FailAsync("broken-truncated.mp4", new ExtractionOptions { Format = "mp3", Normalize = LoudnessTarget.Podcast })).Error);

    [Fact(Timeout = 60_000)]
    public async Task A_video_without_audio_says_so() =>
        Assert.Equal(MediaError.NoAudioStream, (await FailAsync("broken-no-audio.mp4", new ExtractionOptions { Format = "mp3" })).Error);

    [Fact(Timeout = 60_000)]
    public async Task A_disguised_playlist_never_reaches_the_file_it_points_at() =>
        Assert.Equal(MediaError.UnsupportedContainer, (await FailAsync("hostile-playlist.mp4", new ExtractionOptions { Format = "mp3" })).Error);

    [Fact(Timeout = 60_000)]
    public async Task An_input_longer_than_allowed_is_refused_before_any_work()
    {
        var e = await FailAsync("long-30s.m4a", new ExtractionOptions { Format = "mp3" }, new ExtractionLimits { MaxInputDuration = TimeSpan.FromSeconds(10) });
        Assert.Equal(MediaError.DurationLimitExceeded, e.Error);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_output_past_the_size_limit_is_stopped_and_removed()
    {
        var e = await FailAsync("long-30s.m4a", new ExtractionOptions { Format = "wav" }, new ExtractionLimits { MaxOutputBytes = 200_000 });
        Assert.Equal(MediaError.OutputSizeLimitExceeded, e.Error);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_past_the_timeout_is_killed_and_removed()
    {
        var e = await FailAsync("long-30s.m4a", new ExtractionOptions { Format = "flac", Normalize = LoudnessTarget.Podcast }, new ExtractionLimits { Timeout = TimeSpan.FromMilliseconds(150) });
        Assert.Equal(MediaError.Timeout, e.Error);
        Assert.Empty(Processes.WithArgument(media["long-30s.m4a"]));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancelling_kills_ffmpeg_and_leaves_no_file()
    {
        using var cts = new CancellationTokenSource();
        var extractor = new AudioExtractor(MediaTools.Locate(), new ExtractionLimits());
        var info = await extractor.ProbeAsync(media["long-30s.m4a"], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "flac", Normalize = LoudnessTarget.Podcast });
        var progress = new Progressed(() => cts.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            extractor.RunAsync(media["long-30s.m4a"], info, plan, [_out["x.flac"]], false, progress, cts.Token));
        Assert.Empty(_out.Files());
        Assert.Empty(Directory.GetFiles(_out.Path, "*", SearchOption.AllDirectories));
        Assert.Empty(Processes.WithArgument(media["long-30s.m4a"]));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_existing_output_is_not_replaced_unless_asked()
    {
        var extractor = new AudioExtractor(MediaTools.Locate(), new ExtractionLimits());
        var info = await extractor.ProbeAsync(media["good-h264-aac.mp4"], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "mp3" });
        await File.WriteAllTextAsync(_out["x.mp3"], "precious");

        var e = await Assert.ThrowsAsync<MediaException>(() => extractor.RunAsync(media["good-h264-aac.mp4"], info, plan, [_out["x.mp3"]], false, null, CancellationToken.None));
        Assert.Equal(MediaError.OutputExists, e.Error);
        Assert.Equal("precious", await File.ReadAllTextAsync(_out["x.mp3"]));

        await extractor.RunAsync(media["good-h264-aac.mp4"], info, plan, [_out["x.mp3"]], true, null, CancellationToken.None);
        Assert.Equal("mp3", (await Proc.ProbeAsync(_out["x.mp3"])).Codec);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_input_is_never_overwritten_by_its_own_output()
    {
        var copy = _out["song.mp3"];
        File.Copy(media["good-h264-aac.mp4"], _out["in.mp4"]);
        var extractor = new AudioExtractor(MediaTools.Locate(), new ExtractionLimits());
        var info = await extractor.ProbeAsync(_out["in.mp4"], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "m4a" });
        var e = await Assert.ThrowsAsync<MediaException>(() => extractor.RunAsync(_out["in.mp4"], info, plan, [_out["in.mp4"]], true, null, CancellationToken.None));
        Assert.Equal(MediaError.InvalidOption, e.Error);
        Assert.Equal(new FileInfo(media["good-h264-aac.mp4"]).Length, new FileInfo(_out["in.mp4"]).Length);
        Assert.False(File.Exists(copy));
    }

    private sealed class Progressed(Action first) : IProgress<ExtractionProgress>
    {
        private int _seen;

        public void Report(ExtractionProgress value)
        {
            if (Interlocked.Increment(ref _seen) == 1)
            {
                first();
            }
        }
    }
}
