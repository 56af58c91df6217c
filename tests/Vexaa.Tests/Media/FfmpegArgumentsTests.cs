using Vexaa.Media;

namespace Vexaa.Tests.Media;

public class FfmpegArgumentsTests
{
    private static List<string> Build(ExtractionOptions options, string input = "/in/movie.mp4", string output = "/out/a.mp3")
    {
        var plan = ExtractionPlanner.Plan(Fake.Media(Fake.Track(0)), options);
        return FfmpegArguments.Extract(input, plan, [output], null, 1000);
    }

    private static string After(List<string> args, string option) => args[args.IndexOf(option) + 1];

    [Fact]
    public void Inputs_and_outputs_are_file_urls_so_a_name_is_never_a_protocol_or_an_option()
    {
        var args = Build(new ExtractionOptions { Format = "mp3" }, "/in/-i http:evil", "/out/-f lavfi.mp3");
        Assert.Equal("file:/in/-i http:evil", After(args, "-i"));
        Assert.Equal("file:/out/-f lavfi.mp3", args[^1]);
    }

    [Fact]
    public void The_input_is_read_under_the_protocol_and_container_allow_lists_and_never_from_stdin()
    {
        var args = Build(new ExtractionOptions { Format = "mp3" });
        var input = args.IndexOf("-i");
        Assert.Equal("file", After(args, "-protocol_whitelist"));
        Assert.True(args.IndexOf("-protocol_whitelist") < input && args.IndexOf("-format_whitelist") < input);
        Assert.DoesNotContain("hls", After(args, "-format_whitelist").Split(','));
        Assert.DoesNotContain("concat", After(args, "-format_whitelist").Split(','));
        Assert.DoesNotContain("image2", After(args, "-format_whitelist").Split(','));
        Assert.Contains("-nostdin", args);
    }

    [Theory]
    [InlineData("title=x -i /etc/passwd")]
    [InlineData("comment=\"; rm -rf / #")]
    [InlineData("artist=$(reboot)")]
    [InlineData("album=-map 0:v")]
    public void A_tag_value_stays_one_argument_whatever_it_holds(string tag)
    {
        var parsed = OptionParser.ParseTag(tag);
        var args = Build(new ExtractionOptions { Format = "mp3", Tags = new Dictionary<string, string> { [parsed.Key] = parsed.Value } });
        var i = args.IndexOf(tag);
        Assert.True(i > 0, "the tag is passed whole");
        Assert.Equal("-metadata", args[i - 1]);
        Assert.Single(args, a => a == "-i");
        Assert.Equal(1, args.Count(a => a == "-map"));
    }

    [Fact]
    public void An_encode_sets_codec_bitrate_rate_channels_and_muxer()
    {
        var args = Build(new ExtractionOptions { Format = "mp3", BitrateKbps = 128, SampleRate = 44100, Channels = 1 });
        Assert.Equal("libmp3lame", After(args, "-c:a"));
        Assert.Equal("128k", After(args, "-b:a"));
        Assert.Equal("44100", After(args, "-ar"));
        Assert.Equal("1", After(args, "-ac"));
        Assert.Equal("mp3", After(args, "-f"));
        Assert.Equal("0:1", After(args, "-map"));
    }

    [Fact]
    public void Trim_seeks_the_input_and_limits_the_output_length()
    {
        var args = Build(new ExtractionOptions { Format = "mp3", Start = TimeSpan.FromSeconds(1.5), End = TimeSpan.FromSeconds(4) });
        Assert.True(args.IndexOf("-ss") < args.IndexOf("-i"));
        Assert.Equal("1.5", After(args, "-ss"));
        Assert.Equal("2.5", After(args, "-t"));
    }

    [Fact]
    public void Numbers_do_not_follow_the_machine_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var args = Build(new ExtractionOptions { Format = "ogg", Quality = 4.5, Start = TimeSpan.FromSeconds(1.25) });
            Assert.Equal("4.5", After(args, "-q:a"));
            Assert.Equal("1.25", After(args, "-ss"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_second_loudnorm_pass_uses_the_measurement_and_a_linear_gain()
    {
        var filter = FfmpegArguments.Loudnorm(LoudnessTarget.Podcast, new LoudnessMeasurement(-21.8, -3.2, 4.1, -32.0, 0.3));
        Assert.Equal("loudnorm=I=-16.0:TP=-1.0:LRA=11.0:measured_I=-21.8:measured_TP=-3.2:measured_LRA=4.1:measured_thresh=-32.0:offset=0.3:linear=true:print_format=json", filter);
    }
}
