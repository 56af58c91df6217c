using System.CommandLine;
using System.Globalization;
using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary><c>vexaa probe FILE [--json]</c>: what a file holds.</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "The video or audio file to inspect." };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of a summary." };
        var command = new Command("probe", "Show a file's container, duration, audio tracks and chapters.") { input, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(input)!;
            try
            {
                var info = await new MediaProber(MediaTools.Locate()).ProbeAsync(path, cancellationToken);
                await Console.Out.WriteAsync(parse.GetValue(json) ? CliOutput.ToJson(info) + "\n" : Summary(path, info));
                return 0;
            }
            catch (MediaException e)
            {
                return CliOutput.Fail(e);
            }
        });
        return command;
    }

    internal static string Summary(string path, MediaInfo info)
    {
        var lines = new List<string> { path };
        var bitrate = info.BitRate is { } b ? $", {b / 1000} kb/s" : "";
        var duration = info.Duration is { } d ? CliOutput.Duration(d) : "unknown duration";
        lines.Add($"  Container  {info.ContainerDescription} ({info.Container}), {duration}, {CliOutput.Size(info.SizeBytes)}{bitrate}");
        foreach (var v in info.VideoTracks)
        {
            var rate = v.FrameRate is { } fps ? $" {fps.ToString("0.##", CultureInfo.InvariantCulture)} fps" : "";
            lines.Add($"  Video      {v.Codec} {v.Width}x{v.Height}{rate}{(v.IsCoverArt ? " (cover art)" : "")}");
        }

        if (info.AudioTracks.Count == 0)
        {
            lines.Add("  Audio      none: this file has no audio to extract");
        }

        foreach (var a in info.AudioTracks)
        {
            var parts = new List<string>
            {
                a.Codec + (a.Profile is { } p ? $" ({p})" : ""),
                $"{a.SampleRate} Hz",
                CliOutput.Channels(a.Channels, a.ChannelLayout),
            };
            if (a.BitRate is { } abr) parts.Add($"{abr / 1000} kb/s");
            parts.Add(a.Language ?? "no language");
            if (a.Title is { } title) parts.Add($"\"{title}\"");
            if (a.IsDefault) parts.Add("default");
            lines.Add($"  Audio {a.Index,-4} {string.Join(", ", parts)}");
        }

        foreach (var c in info.Chapters)
        {
            lines.Add($"  Chapter    {CliOutput.Duration(c.Start)}–{CliOutput.Duration(c.End)}  {c.Title}");
        }

        foreach (var (key, value) in info.Tags.Where(t => !TechnicalTags.Contains(t.Key)))
        {
            lines.Add($"  Tag        {key}={value}");
        }

        return string.Join('\n', lines) + "\n";
    }

    private static readonly HashSet<string> TechnicalTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "major_brand", "minor_version", "compatible_brands", "encoder",
    };
}
