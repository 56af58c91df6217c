using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

[Collection(MediaCollection.Name)]
public sealed class ExtractTests(TestMedia media) : IDisposable
{
    private readonly AudioExtractor _extractor = new(MediaTools.Locate(), new ExtractionLimits());
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<ExtractionResult> ExtractAsync(string input, ExtractionOptions options, string baseName = "out", IProgress<ExtractionProgress>? progress = null)
    {
        var info = await _extractor.ProbeAsync(media[input], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, options);
        var outputs = plan.Outputs.Select(o => OutputNaming.ForTrack(_out[baseName], o, plan.Outputs.Count > 1)).ToList();
        return await _extractor.RunAsync(media[input], info, plan, outputs, false, progress, CancellationToken.None);
    }

    // One codec frame: the finest step an encoder can end on.
    private static double Frame(string codec, int rate) => codec switch
    {
        "mp3" => 1152.0 / rate,
        "aac" => 1024.0 / rate,
        "opus" => 0.02,
        "vorbis" => 2048.0 / rate,
        "flac" => 4608.0 / rate,
        _ => 1.0 / rate,
    };

    [Theory(Timeout = 60_000)]
    [InlineData("mp3", "mp3", "mp3", 48000)]
    [InlineData("aac", "aac", "aac", 48000)]
    [InlineData("m4a", "aac", "mp4", 48000)]
    [InlineData("opus", "opus", "ogg", 48000)]
    [InlineData("ogg", "vorbis", "ogg", 48000)]
    [InlineData("flac", "flac", "flac", 48000)]
    [InlineData("wav", "pcm_s16le", "wav", 48000)]
    [InlineData("alac", "alac", "mp4", 48000)]
    public async Task Each_format_writes_its_codec_in_its_container_with_the_full_duration(string format, string codec, string container, int rate)
    {
        var result = await ExtractAsync("good-h264-aac.mp4", new ExtractionOptions { Format = format });

        var file = Assert.Single(result.Files);
        Assert.False(file.Copied && format != "m4a" && format != "aac");
        var probe = await Proc.ProbeAsync(file.Path);
        Assert.Equal(codec, probe.Codec);
        Assert.Contains(container, probe.Format.Split(','));
        Assert.Equal(rate, probe.SampleRate);
        Assert.Equal(2, probe.Channels);
        Assert.Equal(1, probe.Streams);
        var source = await Proc.DecodedSecondsAsync(media["good-h264-aac.mp4"]);
        Assert.InRange(await Proc.DecodedSecondsAsync(file.Path), source - Frame(codec, rate) - 0.001, source + Frame(codec, rate) + 0.001);
        Assert.Equal(new FileInfo(file.Path).Length, file.SizeBytes);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("good-h264-aac.mp4", "aac", ".m4a")]
    [InlineData("good-h264-opus.mkv", "opus", ".opus")]
    [InlineData("good-mpeg4-mp3.avi", "mp3", ".mp3")]
    [InlineData("surround-ac3.mkv", "ac3", ".ac3")]
    [InlineData("hires-flac.mkv", "flac", ".flac")]
    [InlineData("pcm.mov", "pcm_s16le", ".wav")]
    public async Task Original_copies_the_stream_bit_for_bit_into_a_fitting_container(string input, string codec, string extension)
    {
        var file = Assert.Single((await ExtractAsync(input, new ExtractionOptions { Format = "original" })).Files);

        Assert.True(file.Copied);
        Assert.EndsWith(extension, file.Path);
        var probe = await Proc.ProbeAsync(file.Path);
        Assert.Equal(codec, probe.Codec);
        var source = await _extractor.ProbeAsync(media[input], CancellationToken.None);
        Assert.Equal(source.AudioTracks[0].SampleRate, probe.SampleRate);
        Assert.Equal(source.AudioTracks[0].Channels, probe.Channels);
    }

    [Fact(Timeout = 60_000)]
    public async Task Asking_for_the_source_codec_copies_automatically()
    {
        var file = Assert.Single((await ExtractAsync("good-h264-opus.mkv", new ExtractionOptions { Format = "opus" })).Files);
        Assert.True(file.Copied);
        Assert.Equal("opus", (await Proc.ProbeAsync(file.Path)).Codec);
    }

    [Fact(Timeout = 60_000)]
    public async Task Bitrate_sample_rate_and_channels_are_applied()
    {
        var file = Assert.Single((await ExtractAsync("good-h264-aac.mp4", new ExtractionOptions { Format = "mp3", BitrateKbps = 96, SampleRate = 22050, Channels = 1 })).Files);
        var probe = await Proc.ProbeAsync(file.Path);
        Assert.Equal(22050, probe.SampleRate);
        Assert.Equal(1, probe.Channels);
        // 96 kbit/s for 5 s is 60 kB of audio, plus a small header.
        Assert.InRange(file.SizeBytes, 55_000, 66_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Vbr_quality_is_applied_and_changes_the_size()
    {
        var best = Assert.Single((await ExtractAsync("good-h264-aac.mp4", new ExtractionOptions { Format = "mp3", Quality = 0 }, "best")).Files);
        var small = Assert.Single((await ExtractAsync("good-h264-aac.mp4", new ExtractionOptions { Format = "mp3", Quality = 9 }, "small")).Files);
        Assert.True(best.SizeBytes > small.SizeBytes, $"V0 {best.SizeBytes} B should be larger than V9 {small.SizeBytes} B");
    }

    [Fact(Timeout = 60_000)]
    public async Task Surround_downmixes_to_stereo_for_mp3()
    {
        var file = Assert.Single((await ExtractAsync("surround-ac3.mkv", new ExtractionOptions { Format = "mp3" })).Files);
        Assert.Equal(2, (await Proc.ProbeAsync(file.Path)).Channels);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_24_bit_lossless_source_stays_24_bit_in_wav()
    {
        var file = Assert.Single((await ExtractAsync("hires-flac.mkv", new ExtractionOptions { Format = "wav" })).Files);
        var probe = await Proc.ProbeAsync(file.Path);
        Assert.Equal("pcm_s24le", probe.Codec);
        Assert.Equal(96000, probe.SampleRate);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_track_can_be_picked_by_number_or_language()
    {
        var byNumber = Assert.Single((await ExtractAsync("good-two-audio-tracks.mp4", new ExtractionOptions { Format = "m4a", Track = 0 }, "n")).Files);
        var byLanguage = Assert.Single((await ExtractAsync("good-two-audio-tracks.mp4", new ExtractionOptions { Format = "m4a", Language = "deu" }, "l")).Files);
        Assert.Equal("eng", (await Proc.ProbeAsync(byNumber.Path)).Tags["language"]);
        Assert.Equal("deu", (await Proc.ProbeAsync(byLanguage.Path)).Tags["language"]);
        Assert.Equal(1, byLanguage.Track);
    }

    [Fact(Timeout = 60_000)]
    public async Task All_tracks_writes_one_named_file_per_track_in_one_run()
    {
        var result = await ExtractAsync("good-two-audio-tracks.mp4", new ExtractionOptions { Format = "flac", AllTracks = true }, "talk");
        Assert.Equal(["talk.track0-eng.flac", "talk.track1-deu.flac"], _out.Files());
        Assert.Equal([0, 1], result.Files.Select(f => f.Track));
        Assert.Equal("deu", (await Proc.ProbeAsync(_out["talk.track1-deu.flac"])).Tags["language"]);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("mp3", "mp3")]
    [InlineData("original", "aac")]
    [InlineData("wav", "pcm_s16le")]
    public async Task Trim_keeps_the_range_asked_for_within_a_frame(string format, string codec)
    {
        var file = Assert.Single((await ExtractAsync("good-h264-aac.mp4", new ExtractionOptions { Format = format, Start = TimeSpan.FromSeconds(1), End = TimeSpan.FromSeconds(3.5) })).Files);
        var probe = await Proc.ProbeAsync(file.Path);
        Assert.Equal(codec, probe.Codec);
        var frame = Frame(codec, 48000) + 0.001;
        Assert.InRange(await Proc.DecodedSecondsAsync(file.Path), 2.5 - frame, 2.5 + frame);
    }

    [Fact(Timeout = 60_000)]
    public async Task Input_tags_are_kept_and_given_tags_win()
    {
        var file = Assert.Single((await ExtractAsync("good-with-tags.mp4", new ExtractionOptions
        {
            Format = "mp3",
            Tags = new Dictionary<string, string> { ["artist"] = "Someone else", ["album"] = "Interviews" },
        })).Files);
        var tags = (await Proc.ProbeAsync(file.Path)).Tags;
        Assert.Equal("Interview — part 1", tags["title"]);
        Assert.Equal("Someone else", tags["artist"]);
        Assert.Equal("Interviews", tags["album"]);
        Assert.False(tags.ContainsKey("major_brand"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Strip_tags_drops_input_tags_and_chapters_but_keeps_given_ones()
    {
        var file = Assert.Single((await ExtractAsync("chapters.mkv", new ExtractionOptions
        {
            Format = "ogg", KeepTags = false, Tags = new Dictionary<string, string> { ["comment"] = "mine" },
        })).Files);
        var tags = (await Proc.ProbeAsync(file.Path)).Tags;
        Assert.False(tags.ContainsKey("title"));
        Assert.Equal("mine", tags["comment"]);
        var chapters = await Proc.RunAsync("ffprobe", ["-v", "error", "-show_chapters", "-of", "csv", file.Path]);
        Assert.Equal("", chapters.Stdout.Trim());
    }

    [Fact(Timeout = 60_000)]
    public async Task Chapters_are_kept_by_default()
    {
        var file = Assert.Single((await ExtractAsync("chapters.mkv", new ExtractionOptions { Format = "m4a" })).Files);
        var chapters = await Proc.RunAsync("ffprobe", ["-v", "error", "-show_chapters", "-of", "csv", file.Path]);
        Assert.Equal(2, chapters.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("podcast", -16.0)]
    [InlineData("broadcast", -23.0)]
    public async Task Normalize_reaches_the_target_loudness_and_reports_both_measurements(string target, double lufs)
    {
        var file = Assert.Single((await ExtractAsync("long-30s.m4a", new ExtractionOptions { Format = "flac", Normalize = LoudnessTarget.Find(target) })).Files);

        Assert.NotNull(file.Loudness);
        Assert.InRange(file.Loudness!.Input.IntegratedLufs, -40, -5);
        Assert.InRange(file.Loudness.Output!.IntegratedLufs, lufs - 1, lufs + 1);
        Assert.Equal(48000, (await Proc.ProbeAsync(file.Path)).SampleRate);
        // An independent measurement of the written file, by ffmpeg's ebur128 filter.
        var measured = await Proc.RunAsync("ffmpeg", ["-nostdin", "-hide_banner", "-i", file.Path, "-af", "ebur128=peak=true", "-f", "null", "-"]);
        var integrated = measured.Stderr.Split('\n').Last(l => l.TrimStart().StartsWith("I:")).Trim();
        var value = double.Parse(integrated.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(value, lufs - 1, lufs + 1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Normalize_measures_each_track_on_its_own()
    {
        var result = await ExtractAsync("good-two-audio-tracks.mp4", new ExtractionOptions { Format = "mp3", AllTracks = true, Normalize = LoudnessTarget.Streaming });
        Assert.Equal(2, result.Files.Count);
        Assert.All(result.Files, f => Assert.InRange(f.Loudness!.Output!.IntegratedLufs, -15.5, -12.5));
        Assert.Equal("deu", (await Proc.ProbeAsync(result.Files[1].Path)).Tags["language"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Silence_is_encoded_as_it_is_rather_than_failing_normalisation()
    {
        var file = Assert.Single((await ExtractAsync("silent.mp4", new ExtractionOptions { Format = "mp3", Normalize = LoudnessTarget.Podcast })).Files);
        Assert.Null(file.Loudness!.Output);
        Assert.False(double.IsFinite(file.Loudness.Input.IntegratedLufs) && file.Loudness.Input.IntegratedLufs > -70);
    }

    [Fact(Timeout = 60_000)]
    public async Task Progress_rises_to_completion_with_phases_in_order()
    {
        var reports = new List<ExtractionProgress>();
        var progress = new SyncProgress(reports.Add);
        await ExtractAsync("long-30s.m4a", new ExtractionOptions { Format = "mp3", Normalize = LoudnessTarget.Podcast }, progress: progress);
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1].Fraction, 3);
        Assert.Equal(ExtractionPhase.MeasuringLoudness, reports[0].Phase);
        Assert.Equal(ExtractionPhase.Extracting, reports[^1].Phase);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.Fraction >= p.First.Fraction - 1e-9), "progress never goes back");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_name_with_quotes_spaces_dashes_and_shell_syntax_is_just_a_name()
    {
        var file = Assert.Single((await ExtractAsync(TestMedia.WeirdName, new ExtractionOptions { Format = "mp3" }, "-i $(touch x) 'out'")).Files);
        Assert.Equal("mp3", (await Proc.ProbeAsync(file.Path)).Codec);
        Assert.Equal(["-i $(touch x) 'out'.mp3"], _out.Files());
        Assert.False(File.Exists(Path.Combine(media.Dir, "pwned")));
        Assert.False(File.Exists("pwned"));
    }

    private sealed class SyncProgress(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
