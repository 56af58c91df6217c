using Vexaa.Media;

namespace Vexaa.Tests.Media;

public class OptionParserTests
{
    [Theory]
    [InlineData("192k", 192)]
    [InlineData("192K", 192)]
    [InlineData("128000", 128)]
    [InlineData("1M", 1000)]
    [InlineData(" 64k ", 64)]
    public void Bitrates_are_read_in_kbps(string text, int kbps) => Assert.Equal(kbps, OptionParser.ParseBitrate(text));

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("192k -i /etc/passwd")]
    [InlineData("192k;rm -rf /")]
    [InlineData("-192k")]
    [InlineData("192.5k")]
    [InlineData("0")]
    public void Bitrates_that_are_not_plain_numbers_are_refused(string text)
    {
        var e = Assert.Throws<MediaException>(() => OptionParser.ParseBitrate(text));
        Assert.Equal(MediaError.InvalidOption, e.Error);
    }

    [Theory]
    [InlineData("44100", 44100)]
    [InlineData("48k", 48000)]
    [InlineData("44.1k", 44100)]
    public void Sample_rates_accept_hz_and_khz(string text, int hz) => Assert.Equal(hz, OptionParser.ParseSampleRate(text));

    [Theory]
    [InlineData("44100 -af volume=9")]
    [InlineData("44.1")]
    [InlineData("x")]
    public void Bad_sample_rates_are_refused(string text) => Assert.Throws<MediaException>(() => OptionParser.ParseSampleRate(text));

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90.25", 90.25)]
    [InlineData("1:30", 90)]
    [InlineData("01:01:30.5", 3690.5)]
    [InlineData("0", 0)]
    public void Times_accept_seconds_and_clock_forms(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), OptionParser.ParseTime(text, "--start"));

    [Theory]
    [InlineData("-5")]
    [InlineData("1:75")]
    [InlineData("1:60:00")]
    [InlineData("5s")]
    [InlineData("1e3")]
    [InlineData("00:00:01 -i x")]
    public void Bad_times_are_refused_with_the_option_name(string text)
    {
        var e = Assert.Throws<MediaException>(() => OptionParser.ParseTime(text, "--start"));
        Assert.Contains("--start", e.Message);
    }

    [Fact]
    public void A_tag_value_may_hold_anything_printable_but_stays_one_value()
    {
        var tag = OptionParser.ParseTag("title=Hello -f lavfi -i /etc/passwd");
        Assert.Equal("title", tag.Key);
        Assert.Equal("Hello -f lavfi -i /etc/passwd", tag.Value);
    }

    [Theory]
    [InlineData("=value")]
    [InlineData("no-equals")]
    [InlineData("bad key=x")]
    [InlineData("-map=0")]
    [InlineData("title=line\nbreak")]
    public void Bad_tags_are_refused(string text) => Assert.Throws<MediaException>(() => OptionParser.ParseTag(text));

    [Theory]
    [InlineData("2G", 2L << 30)]
    [InlineData("500M", 500L << 20)]
    [InlineData("64k", 64L << 10)]
    [InlineData("1000", 1000)]
    [InlineData("10MiB", 10L << 20)]
    public void Sizes_use_binary_units(string text, long bytes) => Assert.Equal(bytes, OptionParser.ParseSize(text, "--max-output-size"));

    [Theory]
    [InlineData("eng", "eng")]
    [InlineData("DE", "de")]
    public void Languages_are_iso_codes(string text, string expected) => Assert.Equal(expected, OptionParser.ParseLanguage(text));

    [Fact]
    public void A_language_that_is_not_a_code_is_refused() => Assert.Throws<MediaException>(() => OptionParser.ParseLanguage("english;"));
}
