using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

[Collection(MediaCollection.Name)]
public class ProbeTests(TestMedia media)
{
    private readonly MediaProber _prober = new(MediaTools.Locate());

    [Fact(Timeout = 30_000)]
    public async Task A_two_track_file_lists_both_tracks_with_languages_and_the_default()
    {
        var info = await _prober.ProbeAsync(media["good-two-audio-tracks.mp4"], CancellationToken.None);
        Assert.Equal(2, info.AudioTracks.Count);
        Assert.Equal(["eng", "deu"], info.AudioTracks.Select(t => t.Language));
        Assert.True(info.AudioTracks[1].IsDefault);
        Assert.Equal(48000, info.AudioTracks[0].SampleRate);
        Assert.Single(info.VideoTracks);
        Assert.InRange(info.Duration!.Value.TotalSeconds, 4.9, 5.1);
    }

    [Fact(Timeout = 30_000)]
    public async Task Chapters_and_tags_are_read()
    {
        var info = await _prober.ProbeAsync(media["chapters.mkv"], CancellationToken.None);
        Assert.Equal(["Intro", "Main part"], info.Chapters.Select(c => c.Title));
        Assert.Equal(TimeSpan.FromSeconds(2), info.Chapters[1].Start);
        Assert.Equal("With chapters", info.Tags["title"]);
        Assert.Equal("Commentary", info.AudioTracks[0].Title);
    }

    [Fact(Timeout = 30_000)]
    public async Task Matroska_track_durations_come_from_their_tags()
    {
        var info = await _prober.ProbeAsync(media["good-h264-opus.mkv"], CancellationToken.None);
        Assert.Equal("opus", info.AudioTracks[0].Codec);
        Assert.InRange(info.AudioTracks[0].Duration!.Value.TotalSeconds, 4.9, 5.1);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_surround_track_reports_its_channels()
    {
        var info = await _prober.ProbeAsync(media["surround-ac3.mkv"], CancellationToken.None);
        Assert.Equal(6, info.AudioTracks[0].Channels);
        Assert.Empty(info.VideoTracks);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_video_without_audio_probes_with_no_audio_tracks()
    {
        var info = await _prober.ProbeAsync(media["broken-no-audio.mp4"], CancellationToken.None);
        Assert.Empty(info.AudioTracks);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("broken-empty.mp4", MediaError.EmptyFile)]
    [InlineData("broken-text.mp4", MediaError.NotMedia)]
    [InlineData("broken-random.mp4", MediaError.CorruptMedia)]
    [InlineData("does-not-exist.mp4", MediaError.InputNotFound)]
    [InlineData("hostile-playlist.m3u8", MediaError.UnsupportedContainer)]
    [InlineData("hostile-playlist.mp4", MediaError.UnsupportedContainer)]
    [InlineData("hostile-playlist-network.mp4", MediaError.UnsupportedContainer)]
    [InlineData("hostile-concat.mp4", MediaError.UnsupportedContainer)]
    [InlineData("hostile-sdp.mp4", MediaError.UnsupportedContainer)]
    [InlineData("hostile-image.mp4", MediaError.UnsupportedContainer)]
    public async Task Unreadable_and_hostile_inputs_get_their_own_error(string name, MediaError expected)
    {
        var thrown = await Record.ExceptionAsync(() => _prober.ProbeAsync(media[name], CancellationToken.None));
        if (name.StartsWith("hostile-", StringComparison.Ordinal))
        {
            Figures.Hostile("allow-list-" + name, 1, thrown is MediaException { Error: var error } && error == expected ? 0 : 1);
        }

        var e = Assert.IsType<MediaException>(thrown);
        Assert.Equal(expected, e.Error);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Plain_ffmpeg_would_follow_the_disguised_playlist_which_is_why_the_allow_list_exists()
    {
        // The control experiment: without the allow-lists, ffmpeg reads the playlist and, through it, another file.
        var plain = await Proc.RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=format_name", "-of", "csv=p=0", media["hostile-playlist.mp4"]]);
        Assert.Equal("hls", plain.Stdout.Trim());
    }
}
