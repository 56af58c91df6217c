using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>Silence trimmed, pauses shortened and splits at pauses, on audio whose pauses are known to the sample.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class SilenceTests(AssemblyMedia media) : IDisposable
{
    private const double Tolerance = 0.05;
    private readonly AudioExtractor _extractor = new(MediaTools.Locate(), new ExtractionLimits());
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<(ExtractionPlan Plan, IReadOnlyList<ExtractedFile> Files, ExtractionResult Result)> ExtractAsync(string input, ExtractionOptions options, string folder)
    {
        var info = await _extractor.ProbeAsync(media[input], CancellationToken.None);
        var plan = await _extractor.PlanAsync(media[input], info, options, null, null, CancellationToken.None);
        Directory.CreateDirectory(_out[folder]);
        var outputs = OutputNaming.ForPlan(plan, Path.Combine(_out[folder], "out"), _out[folder]);
        var result = await _extractor.RunAsync(media[input], info, plan, outputs, false, null, CancellationToken.None);
        return (plan, result.Files, result);
    }

    private static async Task<List<(double Start, double End)>> DetectAsync(string path)
    {
        var r = await Proc.RunAsync("ffmpeg", ["-hide_banner", "-i", path, "-af", "silencedetect=noise=-50dB:d=0.3", "-f", "null", "-"]);
        var starts = r.Stderr.Split('\n').Where(l => l.Contains("silence_start: ", StringComparison.Ordinal)).Select(l => Seconds(l, "silence_start: ")).ToList();
        var ends = r.Stderr.Split('\n').Where(l => l.Contains("silence_end: ", StringComparison.Ordinal)).Select(l => Seconds(l, "silence_end: ")).ToList();
        return [.. starts.Zip(ends)];
    }

    private static double Seconds(string line, string key) =>
        double.Parse(line[(line.IndexOf(key, StringComparison.Ordinal) + key.Length)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static ExtractionOptions Flac(SilenceOptions? silence = null, SplitRequest? split = null) => new() { Format = "flac", Silence = silence, Split = split };

    [Fact(Timeout = 60_000)]
    public async Task The_pauses_found_are_reported_where_they_were_made()
    {
        var (plan, _, result) = await ExtractAsync("pauses.mka", Flac(new SilenceOptions { Trim = true }), "found");

        Assert.Equal(AssemblyMedia.Pauses.Length, result.Silences.Count);
        foreach (var (expected, found) in AssemblyMedia.Pauses.Zip(result.Silences))
        {
            Assert.Equal(expected.Start, found.Start.TotalSeconds, Tolerance);
            Assert.Equal(expected.End, found.End.TotalSeconds, Tolerance);
        }

        Assert.Equal(result.Silences, plan.Silences);
    }

    [Fact(Timeout = 60_000)]
    public async Task Trimming_removes_the_leading_and_trailing_silence_to_within_50_ms_and_moves_the_chapters()
    {
        var (_, files, _) = await ExtractAsync("pauses.mka", Flac(new SilenceOptions { Trim = true }), "trim");

        var file = Assert.Single(files);
        // Sound from 1 s to 11 s: 10 s, to the sample within 50 ms.
        Assert.Equal(10 * 48000, await SplitTests.SamplesAsync(file.Path), 48000 * Tolerance);
        var pauses = await DetectAsync(file.Path);
        Assert.Equal([(2.0, 5.0), (7.0, 8.0)], pauses.Select(p => (Math.Round(p.Start, 1), Math.Round(p.End, 1))));
        Assert.Equal([0, 5], (await AssemblyMedia.ProbeChaptersAsync(file.Path)).Select(c => Math.Round(c.Start, 1)));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_max_pause_shortens_every_longer_pause_to_that_length_and_shifts_the_chapters()
    {
        var (_, files, _) = await ExtractAsync("pauses.mka", Flac(new SilenceOptions { MaxPause = TimeSpan.FromSeconds(1) }), "pause");

        var file = Assert.Single(files);
        // 3 s between the first tones and 1.5 s at the end become 1 s each: 12.5 − 2 − 0.5; the result says so too.
        Assert.Equal(10 * 48000, await SplitTests.SamplesAsync(file.Path), 48000 * Tolerance);
        Assert.Equal(10, file.Duration.TotalSeconds, Tolerance);
        var pauses = await DetectAsync(file.Path);
        Assert.Equal([(0.0, 1.0), (3.0, 4.0), (6.0, 7.0), (9.0, 10.0)], pauses.Select(p => (Math.Round(p.Start, 1), Math.Round(p.End, 1))));
        // "Two" began with the second tone, at 6 s; 2 s were cut before it.
        var chapters = await AssemblyMedia.ProbeChaptersAsync(file.Path);
        Assert.Equal(["One", "Two"], chapters.Select(c => c.Title));
        Assert.Equal(4, chapters[1].Start, Tolerance);
    }

    [Fact(Timeout = 60_000)]
    public async Task Splitting_at_pauses_cuts_in_their_middles_and_the_parts_add_up_to_the_sample()
    {
        var whole = Assert.Single((await ExtractAsync("pauses.mka", Flac(), "whole")).Files);
        var (_, two, _) = await ExtractAsync("pauses.mka", Flac(split: new SplitRequest(SplitMode.Silence)), "two");
        var (_, three, _) = await ExtractAsync("pauses.mka", Flac(split: new SplitRequest(SplitMode.Silence, TimeSpan.FromSeconds(1))), "three");

        // Pauses of 2 s or more between sounds: only 3–6 s, cut at 4.5. Of 1 s or more: also 8–9, cut at 8.5.
        Assert.Equal(["01 - Part 1.flac", "02 - Part 2.flac"], two.Select(f => Path.GetFileName(f.Path)));
        var samples = new List<long>();
        foreach (var part in three)
        {
            samples.Add(await SplitTests.SamplesAsync(part.Path));
        }

        Assert.Equal([4.5 * 48000, 4 * 48000, 4 * 48000], samples.Select(s => (double)s), new ToleranceComparer(48000 * Tolerance));
        Assert.Equal(await SplitTests.SamplesAsync(whole.Path), samples.Sum());
    }

    [Fact(Timeout = 60_000)]
    public async Task Shortened_pauses_and_loudness_normalisation_go_together()
    {
        var options = Flac(new SilenceOptions { MaxPause = TimeSpan.FromSeconds(1), Trim = true }) with { Normalize = LoudnessTarget.Find("podcast") };
        var (_, files, _) = await ExtractAsync("pauses.mka", options, "loud");

        var file = Assert.Single(files);
        Assert.Equal(8 * 48000, await SplitTests.SamplesAsync(file.Path), 48000 * Tolerance);
        Assert.True(file.Loudness?.TargetMet, $"{file.Loudness}");
    }

    [Fact(Timeout = 60_000)]
    public async Task No_pause_to_split_at_and_nothing_but_silence_have_their_own_errors()
    {
        var none = await Assert.ThrowsAsync<MediaException>(() => ExtractAsync("pauses.mka", Flac(split: new SplitRequest(SplitMode.Silence, TimeSpan.FromSeconds(5))), "none"));
        Assert.Equal(MediaError.NoPauses, none.Error);
        var silent = await Assert.ThrowsAsync<MediaException>(() => ExtractAsync("silent.flac", Flac(new SilenceOptions { Trim = true }), "silent"));
        Assert.Equal(MediaError.AllSilence, silent.Error);
    }

    [Theory]
    [InlineData("silence", 2.0)]
    [InlineData("silence:3.5", 3.5)]
    [InlineData("Silence:1:30", 90.0)]
    public void Split_silence_takes_an_optional_pause_length(string value, double seconds)
    {
        var split = OptionParser.ParseSplit(value);
        Assert.Equal(SplitMode.Silence, split.Mode);
        Assert.Equal(seconds, (split.Pause ?? SplitRequest.DefaultPause).TotalSeconds);
    }

    [Theory]
    [InlineData("silence:0", MediaError.InvalidOption)]
    [InlineData("silence:soon", MediaError.InvalidOption)]
    [InlineData("pauses", MediaError.UnknownSplitMode)]
    public void Bad_split_values_are_refused_with_their_codes(string value, MediaError error) =>
        Assert.Equal(error, Assert.Throws<MediaException>(() => OptionParser.ParseSplit(value)).Error);

    [Fact]
    public void A_time_after_cuts_moves_up_by_what_was_cut_before_it()
    {
        Silence[] cuts = [new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)), new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7))];
        Assert.Equal([1.0, 2.0, 2.0, 3.0, 4.0, 5.0], new[] { 1.0, 2.0, 2.5, 4.0, 6.0, 8.0 }.Select(t => SilencePlanner.Map(cuts, TimeSpan.FromSeconds(t)).TotalSeconds));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
