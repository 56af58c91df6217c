using System.Diagnostics;

namespace Vexaa.Tests.Support;

/// <summary>Runs a program with an argument list and collects its output; for tests only.</summary>
public static class Proc
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The <c>vexaa</c> command as built next to the tests.</summary>
    public static readonly string VexaaDll = Path.Combine(AppContext.BaseDirectory, "Vexaa.Cli.dll");

    /// <summary>Runs <c>vexaa</c> with <paramref name="args"/>.</summary>
    public static Task<Result> VexaaAsync(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null) =>
        RunAsync("dotnet", [VexaaDll, .. args], workingDirectory, env);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        using var p = Process.Start(info)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public static async Task FfmpegAsync(params string[] args)
    {
        var r = await RunAsync("ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", "-y", .. args]);
        Assert.True(r.ExitCode == 0, $"ffmpeg {string.Join(' ', args)} failed: {r.Stderr}");
    }

    /// <summary>
    /// How long a file's first audio track really plays: decoded to the end, so encoder delay and padding (which
    /// container headers such as MP3's or ADTS's only estimate) do not count.
    /// </summary>
    public static async Task<double> DecodedSecondsAsync(string path)
    {
        var r = await RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-f", "null", "-progress", "pipe:1", "-"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var last = r.Stdout.Split('\n').Last(l => l.StartsWith("out_time_us=", StringComparison.Ordinal));
        return long.Parse(last["out_time_us=".Length..], System.Globalization.CultureInfo.InvariantCulture) / 1e6;
    }

    /// <summary>What ffprobe says of an output: its first audio stream, its container, and all tags (format and stream).</summary>
    public sealed record Probed(string Codec, int Channels, int SampleRate, double Duration, string Format, int AudioStreams, int Streams, Dictionary<string, string> Tags);

    public static async Task<Probed> ProbeAsync(string path)
    {
        var r = await RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]);
        Assert.True(r.ExitCode == 0, $"ffprobe {path} failed: {r.Stderr}");
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        var streams = root.GetProperty("streams").EnumerateArray().ToList();
        var audio = streams.Where(s => s.GetProperty("codec_type").GetString() == "audio").ToList();
        Assert.NotEmpty(audio);
        var a = audio[0];
        var format = root.GetProperty("format");
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var holder in new[] { a, format })
        {
            if (holder.TryGetProperty("tags", out var t))
            {
                foreach (var p in t.EnumerateObject())
                {
                    tags.TryAdd(p.Name, p.Value.GetString() ?? "");
                }
            }
        }

        static double Num(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return new Probed(
            a.GetProperty("codec_name").GetString()!,
            a.GetProperty("channels").GetInt32(),
            int.Parse(a.GetProperty("sample_rate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            Num(format.GetProperty("duration").GetString()!),
            format.GetProperty("format_name").GetString()!,
            audio.Count,
            streams.Count,
            tags);
    }
}
