using System.Globalization;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>Inputs for the audio-assembly tests, generated once: a video with three chapters, two audio tracks in one file, and speech-like audio with known pauses.</summary>
public sealed class AssemblyMedia : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "vexaa-assembly-" + Guid.NewGuid().ToString("N")[..8]);

    public string this[string name] => Path.Combine(Dir, name);

    /// <summary>The chapters of <c>chapters.mp4</c> (8 s): start, end, title.</summary>
    public static readonly (double Start, double End, string Title)[] Chapters = [(0, 2, "Intro"), (2, 5, "Main part"), (5, 8, "Outro/End: \"x\"")];

    /// <summary>Where <c>pauses.mka</c> is silent (seconds): before, between and after its three tones.</summary>
    public static readonly (double Start, double End)[] Pauses = [(0, 1), (3, 6), (8, 9), (11, 12.5)];

    private const string Tone = "if(between(t\\,1\\,3)+between(t\\,6\\,8)+between(t\\,9\\,11)\\,0.5*sin(2*PI*440*t)\\,0)";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        var metadata = ";FFMETADATA1\ntitle=With chapters\n" + string.Concat(Chapters.Select(c =>
            $"[CHAPTER]\nTIMEBASE=1/1000\nSTART={Ms(c.Start)}\nEND={Ms(c.End)}\ntitle={c.Title.Replace("=", "\\=", StringComparison.Ordinal)}\n"));
        await File.WriteAllTextAsync(this["chapters.txt"], metadata);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-f", "ffmetadata", "-i", this["chapters.txt"], "-map", "0:v", "-map", "1:a", "-map_metadata", "2", "-map_chapters", "2",
            "-t", "8", "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", this["chapters.mp4"]);
        // For cover art: 8 s of 320×240, black for the first 3 s (so most of the 10–50 % stretch auto samples is black), then test bars.
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "color=black:size=320x240:rate=25:duration=3", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=5",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=8", "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]",
            "-map", "[v]", "-map", "2:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", this["black-start.mp4"]);
        // For silence: 12.5 s of FLAC with tone at 1–3, 6–8 and 9–11 s and silence around it, and two chapters (the second at 6 s).
        await File.WriteAllTextAsync(this["pauses.txt"], ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=6000\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=6000\nEND=12500\ntitle=Two\n");
        await Proc.FfmpegAsync("-f", "lavfi", "-i", $"aevalsrc='{Tone}':s=48000:d=12.5", "-f", "ffmetadata", "-i", this["pauses.txt"],
            "-map", "0:a", "-map_chapters", "1", "-c:a", "flac", this["pauses.mka"]);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "3", "-c:a", "flac", this["silent.flac"]);
        // Two audio tracks, for limits that count tracks × formats.
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000",
            "-map", "0:a", "-map", "1:a", "-t", "3", "-c:a", "aac", this["two-tracks.m4a"]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }

    private static string Ms(double seconds) => ((long)(seconds * 1000)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The chapters ffprobe reads in a file.</summary>
    public static async Task<List<(double Start, double End, string? Title)>> ProbeChaptersAsync(string path)
    {
        var r = await Proc.RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        return [.. doc.RootElement.GetProperty("chapters").EnumerateArray().Select(c => (
            double.Parse(c.GetProperty("start_time").GetString()!, CultureInfo.InvariantCulture),
            double.Parse(c.GetProperty("end_time").GetString()!, CultureInfo.InvariantCulture),
            c.TryGetProperty("tags", out var tags) && tags.TryGetProperty("title", out var t) ? t.GetString() : null))];
    }
}

[CollectionDefinition(Name)]
public sealed class AssemblyCollection : ICollectionFixture<AssemblyMedia>
{
    public const string Name = "assembly";
}
