using System.Globalization;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>
/// Parts for the join tests, generated once, each unlike the others: a quiet 44.1 kHz mono intro (WAV, titled), a loud
/// 48 kHz stereo episode (FLAC, untitled: its chapter is named after the file) and an AAC outro (M4A, titled). The sines
/// have whole periods (441 Hz at 44.1 kHz, 480 Hz at 48 kHz: 100 samples), so the lossless parts end where they began, at zero.
/// </summary>
public sealed class JoinMedia : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "vexaa-join-" + Guid.NewGuid().ToString("N")[..8]);

    public string this[string name] => Path.Combine(Dir, name);

    /// <summary>The three parts in order, with their lengths (the AAC outro's as ffprobe gives it) and the chapter titles expected.</summary>
    public (string File, double Seconds, string Title)[] Parts { get; private set; } = [];

    /// <summary>Twenty half-second parts, for the bounded join of many inputs.</summary>
    public string[] Many { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=441:sample_rate=44100:duration=2", "-af", "volume=0.15",
            "-metadata", "title=Intro", "-c:a", "pcm_s16le", this["intro.wav"]);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=480:sample_rate=48000:duration=3", "-af", "volume=4", "-ac", "2", this["episode.flac"]);
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=2", "-ac", "2",
            "-metadata", "title=The Outro; #2 = end \\ ok", "-c:a", "aac", this["outro.m4a"]);
        // AAC's last frame is padded: what it decodes to is what is joined.
        Parts = [("intro.wav", 2, "Intro"), ("episode.flac", 3, "episode"), ("outro.m4a", await Proc.DecodedSecondsAsync(this["outro.m4a"]), "The Outro; #2 = end \\ ok")];

        var many = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var name = this[$"part{i:00}.wav"];
            await Proc.FfmpegAsync("-f", "lavfi", "-i", $"sine=frequency={200 + 20 * i}:sample_rate=22050:duration=0.5", name);
            many.Add(name);
        }

        Many = [.. many];
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The first channel of a file, decoded to 32-bit float at its own rate.</summary>
    public static async Task<float[]> SamplesAsync(string path)
    {
        var raw = path + ".raw";
        await Proc.FfmpegAsync("-i", path, "-map", "0:a:0", "-af", "pan=mono|c0=c0", "-f", "f32le", raw);
        var bytes = await File.ReadAllBytesAsync(raw);
        File.Delete(raw);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        return samples;
    }

    /// <summary>Integrated loudness (LUFS) of <paramref name="path"/> from <paramref name="from"/> for <paramref name="seconds"/>, by ffmpeg's ebur128.</summary>
    public static async Task<double> LoudnessAsync(string path, double from = 0, double? seconds = null)
    {
        string[] range = seconds is { } s ? ["-ss", Num(from), "-t", Num(s)] : [];
        var r = await Proc.RunAsync("ffmpeg", ["-nostdin", "-hide_banner", "-v", "info", .. range, "-i", path, "-af", "ebur128=framelog=verbose", "-f", "null", "-"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var summary = r.Stderr[r.Stderr.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        var line = summary.Split('\n').First(l => l.TrimStart().StartsWith("I:", StringComparison.Ordinal));
        return double.Parse(line.Trim()[2..].Replace("LUFS", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
