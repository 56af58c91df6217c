using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

[Collection(AssemblyCollection.Name)]
public sealed class CoverTests(AssemblyMedia media) : IDisposable
{
    private readonly AudioExtractor _extractor = new(MediaTools.Locate(), new ExtractionLimits());
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<IReadOnlyList<ExtractedFile>> ExtractAsync(string input, ExtractionOptions options, string name = "out")
    {
        var info = await _extractor.ProbeAsync(input, CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, options);
        var folder = _out[name];
        Directory.CreateDirectory(folder);
        var outputs = plan.Parts.Count > 0
            ? [.. Enumerable.Range(0, plan.FileCount).Select(i => OutputNaming.ForPart(folder, plan.Parts[i / plan.Outputs.Count], plan.Parts.Count, plan.TrackFor(i).Extension))]
            : plan.Outputs.Select(o => OutputNaming.ForTrack(Path.Combine(folder, "whole"), o, false)).ToList();
        return (await _extractor.RunAsync(input, info, plan, outputs, false, null, CancellationToken.None)).Files;
    }

    private async Task<string> ImageAsync(string name, params string[] source)
    {
        await Proc.FfmpegAsync([.. source, "-frames:v", "1", _out[name]]);
        return _out[name];
    }

    [Fact(Timeout = 120_000)]
    public async Task A_cover_at_a_time_is_in_every_format_as_a_square_decodable_jpeg()
    {
        var files = await ExtractAsync(media["black-start.mp4"], new ExtractionOptions
        {
            Format = "mp3", Formats = ["mp3", "m4a", "flac", "opus", "ogg"], Cover = new CoverRequest(CoverSource.Time, TimeSpan.FromSeconds(5)),
        });

        Assert.Equal(5, files.Count);
        foreach (var file in files)
        {
            var picture = await CoverPictures.ExtractAsync(file.Path, _out.Path);
            // 320×240 centre-cropped to its height, never scaled up; the bars, not the black.
            Assert.Equal((240, 240), await CoverPictures.SizeAsync(picture));
            Assert.InRange(await CoverPictures.LumaAsync(picture), 60, 255);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Auto_picks_a_frame_that_is_not_black_though_most_samples_are()
    {
        // The test can fail: at 10 % (0.8 s) and at 30 % (2.4 s) the input is black.
        Assert.InRange(await CoverPictures.LumaAsync(media["black-start.mp4"], "0.8"), 0, 5);
        Assert.InRange(await CoverPictures.LumaAsync(media["black-start.mp4"], "2.4"), 0, 5);

        var file = Assert.Single(await ExtractAsync(media["black-start.mp4"], new ExtractionOptions { Format = "mp3", Cover = new CoverRequest(CoverSource.Auto) }));

        var picture = await CoverPictures.ExtractAsync(file.Path, _out.Path);
        Assert.InRange(await CoverPictures.LumaAsync(picture), 60, 255);
        Assert.Equal((240, 240), await CoverPictures.SizeAsync(picture));
    }

    [Fact(Timeout = 120_000)]
    public async Task Auto_chooses_the_same_frame_every_time()
    {
        var options = new ExtractionOptions { Format = "flac", Cover = new CoverRequest(CoverSource.Auto) };
        var first = await CoverPictures.ExtractAsync(Assert.Single(await ExtractAsync(media["black-start.mp4"], options, "a")).Path, _out.Path);
        var again = await CoverPictures.ExtractAsync(Assert.Single(await ExtractAsync(media["black-start.mp4"], options, "b")).Path, _out["b"]);

        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(again));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_image_is_re_encoded_centre_cropped_and_at_most_600_pixels()
    {
        var wide = await ImageAsync("wide.png", "-f", "lavfi", "-i", "testsrc2=size=1200x900");
        var file = Assert.Single(await ExtractAsync(media["chapters.mp4"], new ExtractionOptions { Format = "m4a", Cover = new CoverRequest(CoverSource.Image, ImagePath: wide) }));

        Assert.Equal((600, 600), await CoverPictures.SizeAsync(await CoverPictures.ExtractAsync(file.Path, _out.Path)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_busy_picture_is_made_small_enough_to_travel_as_one_ogg_comment()
    {
        // Noise does not compress: 600×600 of it at the best JPEG quality is far over the 128 KiB an argument may have.
        var noise = await ImageAsync("noise.png", "-f", "lavfi", "-i", "nullsrc=size=1000x1000,geq=lum='random(1)*255':cb='random(2)*255':cr='random(3)*255'");
        var file = Assert.Single(await ExtractAsync(media["chapters.mp4"], new ExtractionOptions { Format = "opus", Cover = new CoverRequest(CoverSource.Image, ImagePath: noise) }));

        var picture = await CoverPictures.ExtractAsync(file.Path, _out.Path);
        Assert.Equal((600, 600), await CoverPictures.SizeAsync(picture));
        Assert.InRange(new FileInfo(picture).Length, 1, 96_000);
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_split_part_gets_the_cover()
    {
        var parts = await ExtractAsync(media["chapters.mp4"], new ExtractionOptions
        {
            Format = "mp3", Formats = ["mp3", "opus"], Split = new SplitRequest(SplitMode.Chapters), Cover = new CoverRequest(CoverSource.Auto),
        });

        Assert.Equal(6, parts.Count);
        foreach (var part in parts)
        {
            Assert.Equal((120, 120), await CoverPictures.SizeAsync(await CoverPictures.ExtractAsync(part.Path, _out.Path)));
        }
    }

    [Theory(Timeout = 120_000)]
    [InlineData(CoverSource.Auto)]
    [InlineData(CoverSource.Image)]
    public async Task Inside_bubblewrap_each_run_sees_what_the_cover_needs(CoverSource source)
    {
        // The picture lives outside the output folder; only its own run may read it, the extraction run reads the made cover.
        using var pictures = new TempDir();
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=300x200", "-frames:v", "1", pictures["front.jpg"]);
        var sandbox = await ToolSandbox.DetectAsync("bubblewrap", new ToolLimits(), MediaTools.Locate().Ffmpeg, CancellationToken.None);
        var extractor = new AudioExtractor(MediaTools.Locate() with { Sandbox = sandbox }, new ExtractionLimits());
        var info = await extractor.ProbeAsync(media["black-start.mp4"], CancellationToken.None);
        var cover = source == CoverSource.Image ? new CoverRequest(source, ImagePath: pictures["front.jpg"]) : new CoverRequest(source);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "mp3", Formats = ["mp3", "opus"], Cover = cover });

        var files = (await extractor.RunAsync(media["black-start.mp4"], info, plan, [_out["s.mp3"], _out["s.opus"]], false, null, CancellationToken.None)).Files;

        var side = source == CoverSource.Image ? 200 : 240;
        foreach (var file in files)
        {
            Assert.Equal((side, side), await CoverPictures.SizeAsync(await CoverPictures.ExtractAsync(file.Path, pictures.Path)));
        }

        Assert.Equal(["s.mp3", "s.opus"], _out.Files());
        Assert.Empty(Directory.GetDirectories(_out.Path)); // the hidden folder the cover was made in is gone
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cover_time_past_the_end_is_refused_with_its_code()
    {
        var e = await Assert.ThrowsAsync<MediaException>(() => ExtractAsync(media["black-start.mp4"], new ExtractionOptions { Format = "mp3", Cover = new CoverRequest(CoverSource.Time, TimeSpan.FromSeconds(9)) }));

        Assert.Equal(MediaError.CoverTimePastEnd, e.Error);
        Assert.Equal("cover-time-past-end", e.Error.Code());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cover_from_an_input_without_video_is_refused_with_its_code()
    {
        var e = await Assert.ThrowsAsync<MediaException>(() => ExtractAsync(media["two-tracks.m4a"], new ExtractionOptions { Format = "mp3", Cover = new CoverRequest(CoverSource.Auto) }));

        Assert.Equal(MediaError.NoVideoForCover, e.Error);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("text")]
    [InlineData("video")]
    public async Task A_cover_file_that_is_not_an_image_is_refused_with_its_code(string what)
    {
        var fake = _out["fake.jpg"];
        if (what == "text")
        {
            await File.WriteAllTextAsync(fake, "<svg>not a picture</svg>\n");
        }
        else
        {
            File.Copy(media["chapters.mp4"], fake);
        }

        var e = await Assert.ThrowsAsync<MediaException>(() => ExtractAsync(media["chapters.mp4"], new ExtractionOptions { Format = "mp3", Cover = new CoverRequest(CoverSource.Image, ImagePath: fake) }));

        Assert.Equal(MediaError.CoverNotAnImage, e.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_out["out"]));
    }

    [Theory]
    [InlineData("wav")]
    [InlineData("aac")]
    public void Formats_without_room_for_a_picture_refuse_a_cover(string format)
    {
        var e = Assert.Throws<MediaException>(() => ExtractionPlanner.Validate(new ExtractionOptions { Format = format, Cover = new CoverRequest(CoverSource.Auto) }));

        Assert.Equal(MediaError.InvalidOption, e.Error);
        Assert.Contains("cannot hold cover art", e.Message);
    }

    [Theory]
    [InlineData("auto", CoverSource.Auto, null)]
    [InlineData("0:12", CoverSource.Time, 12.0)]
    [InlineData("12.5", CoverSource.Time, 12.5)]
    [InlineData("art/front.PNG", CoverSource.Image, null)]
    public void Cover_values_are_read_as_auto_a_time_or_an_image(string value, CoverSource source, double? seconds)
    {
        var cover = OptionParser.ParseCover(value, "--cover", allowImage: true);

        Assert.Equal(source, cover.Source);
        Assert.Equal(seconds, cover.Time?.TotalSeconds);
        Assert.Throws<MediaException>(() => OptionParser.ParseCover("front.gif", "--cover", allowImage: true));
        Assert.Throws<MediaException>(() => OptionParser.ParseCover("front.png", "cover", allowImage: false));
    }
}
