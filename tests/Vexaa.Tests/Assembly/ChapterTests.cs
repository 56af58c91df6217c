using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

[Collection(AssemblyCollection.Name)]
public sealed class ChapterTests(AssemblyMedia media) : IDisposable
{
    private readonly AudioExtractor _extractor = new(MediaTools.Locate(), new ExtractionLimits());
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<ExtractedFile> ExtractAsync(ExtractionOptions options)
    {
        var info = await _extractor.ProbeAsync(media["chapters.mp4"], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, options);
        var outputs = plan.Outputs.Select(o => OutputNaming.ForTrack(_out["out"], o, false)).ToList();
        return Assert.Single((await _extractor.RunAsync(media["chapters.mp4"], info, plan, outputs, false, null, CancellationToken.None)).Files);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("mp3")]
    [InlineData("m4a")]
    [InlineData("alac")]
    [InlineData("opus")]
    [InlineData("ogg")]
    [InlineData("flac")]
    [InlineData("original")]
    public async Task Chapters_are_kept_as_markers_in_every_container_that_holds_them(string format)
    {
        var file = await ExtractAsync(new ExtractionOptions { Format = format });

        var written = await AssemblyMedia.ProbeChaptersAsync(file.Path);
        Assert.Equal(AssemblyMedia.Chapters.Length, written.Count);
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(AssemblyMedia.Chapters[i].Title, written[i].Title);
            Assert.InRange(written[i].Start, AssemblyMedia.Chapters[i].Start - 0.02, AssemblyMedia.Chapters[i].Start + 0.02);
        }

        Assert.Equal(written.Select(w => w.Title), file.Chapters.Select(c => c.Title));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("mp3")]
    [InlineData("m4a")]
    [InlineData("opus")]
    [InlineData("ogg")]
    [InlineData("flac")]
    public async Task A_cut_keeps_the_chapters_inside_it_shifted_to_the_new_start(string format)
    {
        // A tag replacing one of the input's reorders ffmpeg's tag list; the CHAPTERxxx comments must still pair up.
        var file = await ExtractAsync(new ExtractionOptions
        {
            Format = format, Start = TimeSpan.FromSeconds(3), End = TimeSpan.FromSeconds(6.5),
            Tags = new Dictionary<string, string> { ["title"] = "Replaced", ["artist"] = "Someone" },
        });

        // 3–6.5 s of the source: the rest of "Main part" (3–5) and the start of the outro (5–6.5); the intro is gone.
        var written = await AssemblyMedia.ProbeChaptersAsync(file.Path);
        Assert.Equal(["Main part", "Outro/End: \"x\""], written.Select(w => w.Title));
        Assert.InRange(written[0].Start, 0, 0.02);
        Assert.InRange(written[1].Start, 1.98, 2.02);
        Assert.Equal(2, file.Chapters.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), file.Chapters[1].Start);
        Assert.Equal(TimeSpan.FromSeconds(3.5), file.Chapters[1].End);
    }

    [Fact(Timeout = 60_000)]
    public async Task Formats_without_markers_report_no_chapters_and_stripped_tags_drop_them()
    {
        var wav = await ExtractAsync(new ExtractionOptions { Format = "wav" });
        Assert.Empty(wav.Chapters);

        var stripped = await ExtractAsync(new ExtractionOptions { Format = "flac", KeepTags = false });
        Assert.Empty(stripped.Chapters);
        Assert.Empty(await AssemblyMedia.ProbeChaptersAsync(stripped.Path));
    }

    [Fact]
    public void Chapters_outside_the_range_are_dropped_and_the_last_is_clamped()
    {
        Chapter[] source = [new(TimeSpan.Zero, TimeSpan.FromSeconds(10), "a"), new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), "b\nc"), new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), null)];

        var kept = ChapterMarkers.Within(source, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(5));

        var only = Assert.Single(kept);
        Assert.Equal(new Chapter(TimeSpan.Zero, TimeSpan.FromSeconds(5), "b c"), only);
    }
}
