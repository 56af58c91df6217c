using System.Globalization;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

[Collection(AssemblyCollection.Name)]
public sealed class SplitTests(AssemblyMedia media) : IDisposable
{
    private readonly AudioExtractor _extractor = new(MediaTools.Locate(), new ExtractionLimits());
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<IReadOnlyList<ExtractedFile>> ExtractAsync(string input, ExtractionOptions options, string folder)
    {
        var info = await _extractor.ProbeAsync(media[input], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, options);
        Directory.CreateDirectory(_out[folder]);
        var outputs = plan.Parts.Count > 0
            ? plan.Parts.Select(p => OutputNaming.ForPart(_out[folder], p, plan.Parts.Count, plan.Outputs[0].Extension)).ToList()
            : [OutputNaming.ForTrack(Path.Combine(_out[folder], "whole"), plan.Outputs[0], false)];
        return (await _extractor.RunAsync(media[input], info, plan, outputs, false, null, CancellationToken.None)).Files;
    }

    /// <summary>The sample count FLAC's STREAMINFO records (exact, unlike a duration in seconds).</summary>
    internal static async Task<long> SamplesAsync(string path)
    {
        var r = await Proc.RunAsync("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=duration_ts", "-of", "csv=p=0", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return long.Parse(r.Stdout.Trim(), CultureInfo.InvariantCulture);
    }

    [Fact(Timeout = 60_000)]
    public async Task Splitting_by_chapters_makes_one_titled_numbered_file_per_chapter_adding_up_to_the_sample()
    {
        var whole = Assert.Single(await ExtractAsync("chapters.mp4", new ExtractionOptions { Format = "flac" }, "whole"));
        var parts = await ExtractAsync("chapters.mp4", new ExtractionOptions { Format = "flac", Split = new SplitRequest(SplitMode.Chapters) }, "parts");

        Assert.Equal(["01 - Intro.flac", "02 - Main part.flac", "03 - Outro_End_ _x_.flac"], parts.Select(p => Path.GetFileName(p.Path)));
        var counts = new List<long>();
        foreach (var part in parts)
        {
            var probe = await Proc.ProbeAsync(part.Path);
            Assert.Equal(AssemblyMedia.Chapters[part.Part!.Value - 1].Title, probe.Tags["title"]);
            Assert.Equal($"{part.Part}/3", probe.Tags["track"]);
            Assert.Empty(await AssemblyMedia.ProbeChaptersAsync(part.Path));
            counts.Add(await SamplesAsync(part.Path));
        }

        Assert.Equal(await SamplesAsync(whole.Path), counts.Sum());
        Assert.Equal([2 * 48000, 3 * 48000], counts.Take(2));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("mp3")]
    [InlineData("m4a")]
    [InlineData("opus")]
    public async Task A_cut_split_into_lossy_parts_has_the_chapters_inside_the_cut_at_their_lengths(string format)
    {
        var parts = await ExtractAsync("chapters.mp4",
            new ExtractionOptions { Format = format, Start = TimeSpan.FromSeconds(1), End = TimeSpan.FromSeconds(6), Split = new SplitRequest(SplitMode.Chapters) }, "cut");

        Assert.Equal(["Intro", "Main part", "Outro/End: \"x\""], parts.Select(p => p.Title));
        double[] expected = [1, 3, 1];
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.InRange(await Proc.DecodedSecondsAsync(parts[i].Path), expected[i] - 0.03, expected[i] + 0.03);
            Assert.Equal(TimeSpan.FromSeconds(expected[i]), parts[i].Duration);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task An_input_without_chapters_cannot_be_split_by_chapters()
    {
        using var plain = new TempDir();
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000", "-t", "2", plain["plain.flac"]);
        var info = await _extractor.ProbeAsync(plain["plain.flac"], CancellationToken.None);

        var e = Assert.Throws<MediaException>(() => ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "mp3", Split = new SplitRequest(SplitMode.Chapters) }));

        Assert.Equal(MediaError.NoChapters, e.Error);
    }

    [Fact(Timeout = 240_000)]
    public async Task Two_hundred_chapters_split_into_two_hundred_files_in_batches_adding_up_to_the_sample_and_held_to_the_output_limit()
    {
        // 200 chapters of 0.5 s: the most a split makes, run 16 parts to an ffmpeg (each live encoder costs memory).
        var metadata = new System.Text.StringBuilder(";FFMETADATA1\n");
        for (var i = 0; i < SplitPlanner.MaxParts; i++)
        {
            metadata.Append(CultureInfo.InvariantCulture, $"[CHAPTER]\nTIMEBASE=1/1000\nSTART={i * 500}\nEND={(i + 1) * 500}\ntitle=Part {i + 1}\n");
        }

        await File.WriteAllTextAsync(_out["chapters.txt"], metadata.ToString());
        var input = _out["many.mkv"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=500:sample_rate=48000:duration=100", "-i", _out["chapters.txt"],
            "-map", "0:a", "-map_chapters", "1", "-c:a", "flac", input);
        var extractor = new AudioExtractor(MediaTools.Locate(), new ExtractionLimits());
        var info = await extractor.ProbeAsync(input, CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "flac", Split = new SplitRequest(SplitMode.Chapters) });
        var folder = Directory.CreateDirectory(_out["many"]).FullName;
        var outputs = plan.Parts.Select(p => OutputNaming.ForPart(folder, p, plan.Parts.Count, plan.Outputs[0].Extension)).ToList();

        var files = (await extractor.RunAsync(input, info, plan, outputs, false, null, CancellationToken.None)).Files;

        Assert.Equal(SplitPlanner.MaxParts, files.Count);
        Assert.Equal("200 - Part 200.flac", Path.GetFileName(files[^1].Path));
        long total = 0;
        foreach (var file in files)
        {
            total += await SamplesAsync(file.Path);
        }

        Assert.Equal(100 * 48000, total);

        // The same split under a limit smaller than all parts together stops, and leaves none of them.
        var limited = new AudioExtractor(MediaTools.Locate(), new ExtractionLimits { MaxOutputBytes = files.Sum(f => f.SizeBytes) / 2 });
        var small = Directory.CreateDirectory(_out["limited"]).FullName;
        var e = await Assert.ThrowsAsync<MediaException>(() => limited.RunAsync(input, info, plan,
            [.. plan.Parts.Select(p => OutputNaming.ForPart(small, p, plan.Parts.Count, plan.Outputs[0].Extension))], false, null, CancellationToken.None));
        Assert.Equal(MediaError.OutputSizeLimitExceeded, e.Error);
        Assert.Empty(Directory.GetFileSystemEntries(small));
    }

    [Fact]
    public void An_unknown_split_mode_has_its_own_error()
    {
        var e = Assert.Throws<MediaException>(() => OptionParser.ParseSplit("scenes"));
        Assert.Equal(MediaError.UnknownSplitMode, e.Error);
        Assert.Equal(22, e.Error.ExitCode());
    }

    [Fact]
    public void More_than_the_part_limit_is_refused_before_anything_runs()
    {
        var chapters = Enumerable.Range(0, SplitPlanner.MaxParts + 1)
            .Select(i => new Chapter(TimeSpan.FromSeconds(i), TimeSpan.FromSeconds(i + 1), null)).ToList();

        var e = Assert.Throws<MediaException>(() => SplitPlanner.ByChapters(chapters));

        Assert.Equal(MediaError.TooManyParts, e.Error);
        Assert.Equal(SplitPlanner.MaxParts, SplitPlanner.ByChapters(chapters[..SplitPlanner.MaxParts]).Count);
    }

    [Fact]
    public void Split_refuses_all_tracks_and_the_original_format()
    {
        var split = new SplitRequest(SplitMode.Chapters);
        Assert.Equal(MediaError.InvalidOption, Assert.Throws<MediaException>(() => ExtractionPlanner.Validate(new ExtractionOptions { Format = "mp3", AllTracks = true, Split = split })).Error);
        Assert.Equal(MediaError.InvalidOption, Assert.Throws<MediaException>(() => ExtractionPlanner.Validate(new ExtractionOptions { Format = "original", Split = split })).Error);
    }

    [Fact]
    public void Part_names_sort_and_never_hold_a_path()
    {
        var name = OutputNaming.ForPart("/x", new SplitPart(7, TimeSpan.Zero, null, "../../etc/passwd\n"), 120, ".mp3");
        Assert.Equal("/x/007 - _.._etc_passwd_.mp3", name);
        Assert.Equal("/x/01.mp3", OutputNaming.ForPart("/x", new SplitPart(1, TimeSpan.Zero, null, " ... "), 2, ".mp3"));
    }
}
