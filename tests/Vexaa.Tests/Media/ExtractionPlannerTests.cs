using Vexaa.Media;

namespace Vexaa.Tests.Media;

public class ExtractionPlannerTests
{
    private static MediaException Invalid(ExtractionOptions options) =>
        Assert.Throws<MediaException>(() => ExtractionPlanner.Validate(options));

    [Theory]
    [InlineData("mp3", 191)]
    [InlineData("mp3", 330)]
    [InlineData("opus", 5)]
    [InlineData("opus", 600)]
    [InlineData("m4a", 1024)]
    [InlineData("ogg", 20)]
    public void Bitrates_outside_what_the_codec_allows_are_refused(string format, int kbps)
    {
        var e = Invalid(new ExtractionOptions { Format = format, BitrateKbps = kbps });
        Assert.Equal(MediaError.InvalidOption, e.Error);
        Assert.Contains(format, e.Message);
    }

    [Theory]
    [InlineData("flac")]
    [InlineData("wav")]
    [InlineData("alac")]
    public void Lossless_formats_take_no_bitrate(string format) =>
        Assert.Contains("lossless", Invalid(new ExtractionOptions { Format = format, BitrateKbps = 192 }).Message);

    [Theory]
    [InlineData("opus", 44100)]
    [InlineData("mp3", 96000)]
    [InlineData("aac", 50000)]
    public void Sample_rates_the_encoder_cannot_write_are_refused(string format, int rate) =>
        Assert.Contains("Hz", Invalid(new ExtractionOptions { Format = format, SampleRate = rate }).Message);

    [Fact]
    public void Unknown_formats_are_refused_with_the_list() =>
        Assert.Contains("mp3, aac", Invalid(new ExtractionOptions { Format = "wma" }).Message);

    [Fact]
    public void End_before_start_is_refused() =>
        Assert.Contains("after start", Invalid(new ExtractionOptions { Format = "mp3", Start = TimeSpan.FromSeconds(5), End = TimeSpan.FromSeconds(2) }).Message);

    [Fact]
    public void Quality_and_bitrate_together_are_refused() =>
        Assert.Contains("not both", Invalid(new ExtractionOptions { Format = "mp3", Quality = 2, BitrateKbps = 192 }).Message);

    [Theory]
    [InlineData("mp3", 10)]
    [InlineData("ogg", 11)]
    public void Quality_outside_the_scale_is_refused(string format, double quality) =>
        Assert.Contains("scale", Invalid(new ExtractionOptions { Format = format, Quality = quality }).Message);

    [Fact]
    public void Original_cannot_change_the_audio() =>
        Assert.Contains("unchanged", Invalid(new ExtractionOptions { Format = "original", Normalize = LoudnessTarget.Podcast }).Message);

    [Fact]
    public void Channels_other_than_mono_or_stereo_are_refused() =>
        Invalid(new ExtractionOptions { Format = "mp3", Channels = 6 });

    [Fact]
    public void Track_and_language_together_are_refused() =>
        Invalid(new ExtractionOptions { Format = "mp3", Track = 0, Language = "eng" });

    [Fact]
    public void The_default_track_is_chosen_when_none_is_asked_for()
    {
        var plan = ExtractionPlanner.Plan(Fake.Media(Fake.Track(0), Fake.Track(1, isDefault: true)), new ExtractionOptions { Format = "mp3" });
        Assert.Equal(1, Assert.Single(plan.Outputs).Track.Index);
    }

    [Fact]
    public void A_language_picks_its_track_and_two_letter_codes_match_three_letter_tags()
    {
        var media = Fake.Media(Fake.Track(0, language: "eng"), Fake.Track(1, language: "deu"));
        Assert.Equal(1, ExtractionPlanner.Plan(media, new ExtractionOptions { Format = "mp3", Language = "deu" }).Outputs[0].Track.Index);
        Assert.Equal(1, ExtractionPlanner.Plan(media, new ExtractionOptions { Format = "mp3", Language = "de" }).Outputs[0].Track.Index);
    }

    [Fact]
    public void A_missing_track_names_the_tracks_there_are()
    {
        var e = Assert.Throws<MediaException>(() => ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, language: "eng")), new ExtractionOptions { Format = "mp3", Track = 2 }));
        Assert.Equal(MediaError.TrackNotFound, e.Error);
        Assert.Contains("0 (eng, aac)", e.Message);
    }

    [Fact]
    public void No_audio_tracks_is_its_own_error()
    {
        var e = Assert.Throws<MediaException>(() => ExtractionPlanner.Plan(Fake.Media(), new ExtractionOptions { Format = "mp3" }));
        Assert.Equal(MediaError.NoAudioStream, e.Error);
    }

    [Theory]
    [InlineData("m4a", "aac", true)]
    [InlineData("aac", "aac", true)]
    [InlineData("mp3", "aac", false)]
    [InlineData("opus", "opus", true)]
    [InlineData("flac", "flac", true)]
    [InlineData("wav", "pcm_s24le", true)]
    public void Same_codec_and_no_changes_means_copy(string format, string codec, bool copy) =>
        Assert.Equal(copy, ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, codec)), new ExtractionOptions { Format = format }).Outputs[0].Copy);

    [Fact]
    public void Asking_for_a_bitrate_re_encodes_even_when_the_codec_matches() =>
        Assert.False(ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, "aac")), new ExtractionOptions { Format = "m4a", BitrateKbps = 96 }).Outputs[0].Copy);

    [Theory]
    [InlineData("aac", ".m4a")]
    [InlineData("mp3", ".mp3")]
    [InlineData("opus", ".opus")]
    [InlineData("vorbis", ".ogg")]
    [InlineData("flac", ".flac")]
    [InlineData("ac3", ".ac3")]
    [InlineData("pcm_s16le", ".wav")]
    [InlineData("dts", ".mka")]
    [InlineData("truehd", ".mka")]
    public void Original_copies_into_a_container_that_fits_the_codec(string codec, string extension)
    {
        var output = ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, codec)), new ExtractionOptions { Format = "original" }).Outputs[0];
        Assert.True(output.Copy);
        Assert.Equal(extension, output.Extension);
    }

    [Fact]
    public void Mp3_downmixes_surround_to_stereo() =>
        Assert.Equal(2, ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, "ac3", channels: 6)), new ExtractionOptions { Format = "mp3" }).Outputs[0].Channels);

    [Fact]
    public void A_source_rate_the_encoder_lacks_becomes_the_nearest_one() =>
        Assert.Equal(48000, ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, rate: 44100)), new ExtractionOptions { Format = "opus" }).Outputs[0].SampleRate);

    [Fact]
    public void Wav_keeps_24_bits_from_a_lossless_24_bit_source() =>
        Assert.Equal("pcm_s24le", ExtractionPlanner.Plan(Fake.Media(Fake.Track(0, "flac", bits: 24)), new ExtractionOptions { Format = "wav" }).Outputs[0].Encoder);

    [Fact]
    public void An_output_name_that_contradicts_the_format_is_refused()
    {
        var e = Assert.Throws<MediaException>(() => ExtractionPlanner.Plan(Fake.Media(Fake.Track(0)), new ExtractionOptions { Format = "opus" }, ".mp3"));
        Assert.Contains(".opus", e.Message);
    }

    [Fact]
    public void Start_past_the_end_of_the_input_is_refused() =>
        Assert.Throws<MediaException>(() => ExtractionPlanner.Plan(Fake.Media(Fake.Track(0)), new ExtractionOptions { Format = "mp3", Start = TimeSpan.FromSeconds(11) }));

    [Fact]
    public void A_trim_sets_the_expected_duration()
    {
        var plan = ExtractionPlanner.Plan(Fake.Media(Fake.Track(0)), new ExtractionOptions { Format = "mp3", Start = TimeSpan.FromSeconds(2), End = TimeSpan.FromSeconds(5) });
        Assert.Equal(TimeSpan.FromSeconds(3), plan.ExpectedDuration);
        Assert.Equal(TimeSpan.FromSeconds(3), plan.Length);
    }
}
