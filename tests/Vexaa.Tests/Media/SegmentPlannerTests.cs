using Vexaa.Media;

namespace Vexaa.Tests.Media;

/// <summary>Which jobs a worker asks about free cores for: only those SegmentPlanner could cut into segments.</summary>
public sealed class SegmentPlannerTests
{
    [Fact]
    public void Only_one_whole_mp3_or_flac_without_loudness_split_or_silence_cuts_may_be_segmented()
    {
        var mp3 = new ExtractionOptions { Format = "mp3" };
        Assert.True(SegmentPlanner.MayApply(mp3));
        Assert.True(SegmentPlanner.MayApply(mp3 with { BitrateKbps = 320, Start = TimeSpan.Zero, Tags = new Dictionary<string, string> { ["title"] = "x" } }));
        Assert.True(SegmentPlanner.MayApply(new ExtractionOptions { Formats = ["mp3"] }));

        Assert.True(SegmentPlanner.MayApply(new ExtractionOptions { Format = "flac" }));
        Assert.False(SegmentPlanner.MayApply(new ExtractionOptions { Format = "wav" }));
        Assert.False(SegmentPlanner.MayApply(new ExtractionOptions { Format = "m4a" }));
        Assert.False(SegmentPlanner.MayApply(new ExtractionOptions { Formats = ["mp3", "flac"] }));
        Assert.False(SegmentPlanner.MayApply(mp3 with { AllTracks = true }));
        Assert.False(SegmentPlanner.MayApply(mp3 with { Normalize = LoudnessTarget.Podcast }));
        Assert.False(SegmentPlanner.MayApply(mp3 with { Start = TimeSpan.FromSeconds(5) }));
        Assert.False(SegmentPlanner.MayApply(mp3 with { End = TimeSpan.FromSeconds(50) }));
        Assert.False(SegmentPlanner.MayApply(mp3 with { Silence = new SilenceOptions { Trim = true } }));
        Assert.False(SegmentPlanner.MayApply(mp3 with { Split = new SplitRequest(SplitMode.Chapters) }));
    }
}
