using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

public sealed class JoinTests(JoinMedia media) : IClassFixture<JoinMedia>, IDisposable
{
    private readonly AudioJoiner _joiner = new(MediaTools.Locate(), new ExtractionLimits());
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<(JoinPlan Plan, JoinResult Result)> JoinAsync(string[] inputs, ExtractionOptions options, JoinOptions? join = null)
    {
        var probed = new List<JoinInput>();
        foreach (var input in inputs)
        {
            probed.Add(await _joiner.ProbeAsync(media[input], CancellationToken.None, input));
        }

        var plan = JoinPlanner.Plan(probed, options, join ?? new JoinOptions(), new ExtractionLimits());
        var outputs = OutputNaming.ForPlan(plan.Output, _out["joined"], null);
        return (plan, await _joiner.RunAsync(plan, outputs, false, null, CancellationToken.None));
    }

    private string[] PartNames => [.. media.Parts.Select(p => p.File)];

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, media.Dir);

    [Theory(Timeout = 120_000)]
    [InlineData("mp3", 1152)]
    [InlineData("m4a", 1024)]
    [InlineData("flac", 1)]
    public async Task Parts_of_different_rates_and_channels_join_end_to_end_with_a_titled_chapter_at_each_join(string format, int frame)
    {
        var (_, result) = await JoinAsync(PartNames, new ExtractionOptions { Format = format });

        var file = Assert.Single(result.Result.Files);
        var probed = await Proc.ProbeAsync(file.Path);
        // The first part's rate and layout: the 48 kHz stereo parts were resampled and mixed down.
        Assert.Equal((44100, 1), (probed.SampleRate, probed.Channels));
        var sum = media.Parts.Sum(p => p.Seconds);
        Assert.InRange(await Proc.DecodedSecondsAsync(file.Path), sum - frame / 44100.0, sum + frame / 44100.0);

        var chapters = await AssemblyMedia.ProbeChaptersAsync(file.Path);
        Assert.Equal(media.Parts.Select(p => p.Title), chapters.Select(c => c.Title));
        double[] starts = [0, 2, 5];
        for (var i = 0; i < starts.Length; i++)
        {
            Assert.InRange(chapters[i].Start, starts[i] - 0.01, starts[i] + 0.01);
        }

        Assert.Equal(chapters.Count, file.Chapters.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_gap_adds_silence_between_the_parts_and_a_crossfade_overlaps_them()
    {
        var (_, gapped) = await JoinAsync(PartNames, new ExtractionOptions { Format = "flac" }, new JoinOptions { Gap = TimeSpan.FromSeconds(0.5) });
        var sum = media.Parts.Sum(p => p.Seconds);
        var gapFile = gapped.Result.Files[0].Path;
        Assert.InRange(await Proc.DecodedSecondsAsync(gapFile), sum + 1 - 0.001, sum + 1 + 0.001);
        Assert.Equal([0, 2.5, 6], (await AssemblyMedia.ProbeChaptersAsync(gapFile)).Select(c => Math.Round(c.Start, 2)));
        // The half second after the intro is silence.
        var samples = await JoinMedia.SamplesAsync(gapFile);
        Assert.All(samples[(int)(2.02 * 44100)..(int)(2.48 * 44100)], s => Assert.Equal(0, s));

        File.Delete(gapFile);
        var (_, faded) = await JoinAsync(PartNames, new ExtractionOptions { Format = "flac" }, new JoinOptions { Crossfade = TimeSpan.FromSeconds(0.5) });
        var fadeFile = faded.Result.Files[0].Path;
        Assert.InRange(await Proc.DecodedSecondsAsync(fadeFile), sum - 1 - 0.001, sum - 1 + 0.001);
        Assert.Equal([0, 1.5, 4], (await AssemblyMedia.ProbeChaptersAsync(fadeFile)).Select(c => Math.Round(c.Start, 2)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Parts_of_very_different_loudness_come_out_equally_loud()
    {
        var loudness = new List<double>();
        foreach (var part in media.Parts)
        {
            loudness.Add(await JoinMedia.LoudnessAsync(media[part.File]));
        }

        Assert.True(loudness.Max() - loudness.Min() > 10, $"the parts should differ to begin with: {string.Join(", ", loudness)}");

        var (_, result) = await JoinAsync(PartNames, new ExtractionOptions { Format = "flac" });
        var joined = await SegmentLoudnessAsync(result.Result.Files[0].Path, [0, 2, 5], media.Parts.Sum(p => p.Seconds));
        Assert.True(joined.Max() - joined.Min() <= 2, $"each within ±1 LU: {string.Join(", ", joined)}");
        Assert.All(result.Parts, p => Assert.NotNull(p.MeasuredLufs));
        Assert.NotNull(result.OutputLufs);
    }

    [Fact(Timeout = 120_000)]
    public async Task With_a_preset_every_part_and_the_whole_reach_its_target()
    {
        var (_, result) = await JoinAsync(PartNames, new ExtractionOptions { Format = "m4a", Normalize = LoudnessTarget.Podcast });

        var path = result.Result.Files[0].Path;
        Assert.InRange(await JoinMedia.LoudnessAsync(path), -17, -15);
        Assert.InRange(result.OutputLufs!.Value, -17, -15);
        var parts = await SegmentLoudnessAsync(path, [0, 2, 5], media.Parts.Sum(p => p.Seconds));
        Assert.All(parts, p => Assert.InRange(p, -17, -15));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_butt_join_has_no_gap_and_no_click()
    {
        var (_, result) = await JoinAsync(["intro.wav", "episode.flac"], new ExtractionOptions { Format = "flac" });

        var x = await JoinMedia.SamplesAsync(result.Result.Files[0].Path);
        Assert.Equal(5 * 44100, x.Length);
        const int join = 2 * 44100;
        // The largest step from one sample to the next inside each part is what the signal allows; a click is a larger one.
        var allowed = 1.5 * Math.Max(MaxStep(x, 22050, 66150), MaxStep(x, 110250, 198450));
        Assert.True(MaxStep(x, join - 200, join + 200) <= allowed, $"a step of {MaxStep(x, join - 200, join + 200)} at the join, {allowed} allowed");
        // A gap is a run of (near) zeros: a sine passes zero in a single sample.
        var peak = x.Max(Math.Abs);
        for (var i = join - 200; i < join + 200; i++)
        {
            Assert.False(Math.Abs(x[i]) < peak * 0.01 && Math.Abs(x[i + 1]) < peak * 0.01, $"silence at sample {i}");
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Twenty_inputs_join_into_one_file_with_twenty_chapters()
    {
        var (plan, result) = await JoinAsync([.. media.Many.Select(Path.GetFileName)!], new ExtractionOptions { Format = "mp3" });

        Assert.Equal(20, plan.Parts.Count);
        var path = result.Result.Files[0].Path;
        Assert.InRange(await Proc.DecodedSecondsAsync(path), 10 - 1152 / 22050.0, 10 + 1152 / 22050.0);
        var chapters = await AssemblyMedia.ProbeChaptersAsync(path);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"part{i:00}"), chapters.Select(c => c.Title));
        Assert.InRange(chapters[19].Start, 9.49, 9.51);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_command_line_refuses_a_crossfade_longer_than_a_part_a_single_input_and_too_many_inputs()
    {
        var crossfade = await VexaaAsync("join", "intro.wav", "episode.flac", "--crossfade", "2.5", "-o", _out["x.mp3"]);
        Assert.True(crossfade.ExitCode == 32, crossfade.Stderr);
        Assert.Contains("intro.wav", crossfade.Stderr);

        var one = await VexaaAsync("join", "intro.wav", "-o", _out["x.mp3"]);
        Assert.True(one.ExitCode == 34, one.Stderr);

        var many = await VexaaAsync("join", "intro.wav", "episode.flac", "outro.m4a", "--max-inputs", "2", "-o", _out["x.mp3"]);
        Assert.True(many.ExitCode == 33, many.Stderr);

        var cut = await VexaaAsync("join", "intro.wav", "episode.flac", "--start", "1", "-o", _out["x.mp3"]);
        Assert.True(cut.ExitCode == 2, cut.Stderr);
        Assert.False(File.Exists(_out["x.mp3"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_command_line_joins_with_a_gap_and_reports_each_part()
    {
        var r = await VexaaAsync("join", "intro.wav", "episode.flac", "outro.m4a", "--gap", "1", "-o", _out["show.mp3"], "--tag", "title=Show");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("3 chapters", r.Stdout);
        Assert.Contains("2. episode (episode.flac) at 0:03", r.Stdout);
        var probed = await Proc.ProbeAsync(_out["show.mp3"]);
        Assert.Equal("Show", probed.Tags["title"]);
        Assert.InRange(await Proc.DecodedSecondsAsync(_out["show.mp3"]), media.Parts.Sum(p => p.Seconds) + 2 - 0.03, media.Parts.Sum(p => p.Seconds) + 2 + 0.03);
    }

    [Fact]
    public void The_plan_takes_each_inputs_chosen_track_and_names_the_input_a_choice_fails_on()
    {
        static JoinInput Input(string name, params (string? Language, int Rate, int Channels)[] tracks) => new(name, new MediaInfo("wav", "WAV", TimeSpan.FromSeconds(4), 1000, null,
            [.. tracks.Select((t, i) => new AudioTrack(i, i, "pcm_s16le", "PCM", null, t.Channels, null, t.Rate, "s16", 16, null, t.Language, null, i == 0, TimeSpan.FromSeconds(4)))],
            [], [], new Dictionary<string, string>()), name);
        var options = new ExtractionOptions { Format = "flac", Language = "deu" };

        var plan = JoinPlanner.Plan([Input("a.mkv", ("eng", 48000, 2), ("deu", 22050, 1)), Input("b.mkv", ("deu", 44100, 2))], options, new JoinOptions { Crossfade = TimeSpan.FromSeconds(1) }, new ExtractionLimits());
        Assert.Equal([1, 0], plan.Parts.Select(p => p.Track.Index));
        // The first part's chosen track sets the rate and layout.
        Assert.Equal((22050, "mono"), (plan.SampleRate, plan.Layout));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(3)], plan.Output.Chapters.Select(c => c.Start));
        Assert.Equal(TimeSpan.FromSeconds(7), plan.Output.ExpectedDuration);

        var missing = Assert.Throws<MediaException>(() => JoinPlanner.Plan([Input("a.mkv", ("deu", 48000, 2)), Input("b.mkv", ("eng", 48000, 2))], options, new JoinOptions(), new ExtractionLimits()));
        Assert.Equal(MediaError.TrackNotFound, missing.Error);
        Assert.StartsWith("b.mkv: ", missing.Message);
        var both = Assert.Throws<MediaException>(() => JoinPlanner.Validate(2, options, new JoinOptions { Gap = TimeSpan.FromSeconds(1), Crossfade = TimeSpan.FromSeconds(1) }, new ExtractionLimits()));
        Assert.Equal(MediaError.InvalidOption, both.Error);
    }

    [Fact]
    public void Gains_meet_at_the_median_or_the_preset_but_never_push_a_peak_past_the_ceiling()
    {
        PartLoudness?[] parts = [new(-30, -20), new(-10, -2), new(-20, -10), null, new(-30, -5)];

        // Median of the four heard parts: -25; the ceiling is -1 dBTP (the loudest peak, -2, is below it).
        Assert.Equal(new double?[] { 5, -15, -5, null, 4 }, AudioJoiner.Gains(null, parts));
        // Podcast: -16 LUFS, -1 dBTP; the last part would need +14 dB but its peak allows only +4.
        Assert.Equal(new double?[] { 14, -6, 4, null, 4 }, AudioJoiner.Gains(LoudnessTarget.Podcast, parts));
    }

    private static async Task<List<double>> SegmentLoudnessAsync(string path, double[] starts, double total)
    {
        // Each part's middle: the edges are left out so no segment holds a neighbour's audio.
        var loudness = new List<double>();
        for (var i = 0; i < starts.Length; i++)
        {
            var end = i + 1 < starts.Length ? starts[i + 1] : total;
            loudness.Add(await JoinMedia.LoudnessAsync(path, starts[i] + 0.1, end - starts[i] - 0.2));
        }

        return loudness;
    }

    private static double MaxStep(float[] x, int from, int to)
    {
        var max = 0.0;
        for (var i = from + 1; i < to; i++)
        {
            max = Math.Max(max, Math.Abs(x[i] - x[i - 1]));
        }

        return max;
    }
}
