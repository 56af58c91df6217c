using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vexaa.Media;

/// <summary>Reads what an input contains with one ffprobe run, restricted to local files and allowed containers.</summary>
public sealed partial class MediaProber(MediaTools tools)
{
    /// <summary>Probes <paramref name="path"/>, or throws a <see cref="MediaException"/> that says why it cannot be read.</summary>
    /// <param name="displayName">How messages name the file (a server passes the upload's name, never its own paths).</param>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken, string? displayName = null)
    {
        var name = displayName ?? path;
        var fullPath = Path.GetFullPath(path);
        var file = new FileInfo(fullPath);
        if (!file.Exists)
        {
            throw new MediaException(MediaError.InputNotFound, Directory.Exists(fullPath)
                ? $"'{name}' is a folder, not a file."
                : $"'{name}' does not exist.");
        }

        if (file.Length == 0)
        {
            throw new MediaException(MediaError.EmptyFile, $"'{name}' is empty (0 bytes).");
        }

        string[] arguments =
        [
            "-hide_banner", "-v", "error",
            "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist,
            "-format_whitelist", ContainerAllowList.FormatWhitelist,
            "-print_format", "json", "-show_format", "-show_streams", "-show_chapters",
            FfmpegArguments.InputUrl(fullPath),
        ];
        var result = await ToolRunner.RunAsync(tools.Ffprobe, arguments, SandboxView.Reading(fullPath), tools.Sandbox, null, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw LimitFailure.Classify(result.ExitCode, result.StderrTail, tools.Sandbox.Limits) ?? Classify(name, fullPath, result.StderrTail);
        }

        var info = Parse(result.Stdout, file.Length);
        if (!ContainerAllowList.IsAllowed(info.Container))
        {
            throw new MediaException(MediaError.UnsupportedContainer, $"'{name}' is a {info.Container} file, which VExAA does not accept.");
        }

        return info;
    }

    private static MediaException Classify(string path, string fullPath, string stderr)
    {
        var refused = RefusedDemuxer().Match(stderr);
        if (refused.Success)
        {
            var demuxer = refused.Groups[1].Value;
            return demuxer == "tty"
                ? new MediaException(MediaError.NotMedia, $"'{path}' is a text file, not audio or video.", stderr)
                : new MediaException(MediaError.UnsupportedContainer, RefusedContainerMessage(path, demuxer), stderr);
        }

        return LooksLikeText(fullPath)
            ? new MediaException(MediaError.NotMedia, $"'{path}' is a text file, not audio or video.", stderr)
            : new MediaException(MediaError.CorruptMedia, $"'{path}' is damaged or not a media file ffmpeg can read ({LastLine(stderr)}).", stderr);
    }

    private static string RefusedContainerMessage(string path, string demuxer) => demuxer switch
    {
        "hls" or "dash" or "webm_dash_manifest" => $"'{path}' is a streaming playlist ({demuxer}); VExAA only reads media files, never lists that point at other files.",
        "concat" => $"'{path}' is an ffmpeg concat list; VExAA only reads media files, never lists that point at other files.",
        _ when demuxer.StartsWith("image2", StringComparison.Ordinal) || demuxer.EndsWith("_pipe", StringComparison.Ordinal) => $"'{path}' is an image ({demuxer}), not audio or video.",
        _ => $"'{path}' is in a format VExAA does not accept ({demuxer}).",
    };

    private static string LastLine(string stderr)
    {
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no details";
        // ffprobe repeats the path in its last line; the reader already knows it.
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? line[(colon + 2)..] : line;
    }

    /// <summary>A file whose first 4 KiB are printable UTF-8 without NUL bytes is text, whatever its name says.</summary>
    private static bool LooksLikeText(string fullPath)
    {
        var buffer = new byte[4096];
        int read;
        using (var stream = File.OpenRead(fullPath))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        var bytes = buffer.AsSpan(0, read);
        if (bytes.Contains((byte)0))
        {
            return false;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var control = text.Count(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t') || c == '\uFFFD');
        return control <= text.Length / 100;
    }

    internal static MediaInfo Parse(string json, long size)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var audio = new List<AudioTrack>();
        var video = new List<VideoTrack>();
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = Str(stream, "codec_type");
                if (type == "audio")
                {
                    audio.Add(ParseAudio(stream, audio.Count));
                }
                else if (type == "video")
                {
                    video.Add(new VideoTrack(
                        Int(stream, "index") ?? 0,
                        Str(stream, "codec_name") ?? "unknown",
                        Int(stream, "width") ?? 0,
                        Int(stream, "height") ?? 0,
                        Rate(Str(stream, "avg_frame_rate")),
                        Disposition(stream, "attached_pic")));
                }
            }
        }

        var chapters = new List<Chapter>();
        if (root.TryGetProperty("chapters", out var chapterArray))
        {
            foreach (var chapter in chapterArray.EnumerateArray())
            {
                chapters.Add(new Chapter(
                    Seconds(Str(chapter, "start_time")) ?? TimeSpan.Zero,
                    Seconds(Str(chapter, "end_time")) ?? TimeSpan.Zero,
                    Tags(chapter).GetValueOrDefault("title")));
            }
        }

        return new MediaInfo(
            Str(format, "format_name") ?? "unknown",
            Str(format, "format_long_name") ?? "",
            Seconds(Str(format, "duration")),
            Long(format, "size") ?? size,
            Long(format, "bit_rate"),
            audio,
            video,
            chapters,
            Tags(format));
    }

    private static AudioTrack ParseAudio(JsonElement stream, int index)
    {
        var tags = Tags(stream);
        var language = tags.GetValueOrDefault("language");
        return new AudioTrack(
            index,
            Int(stream, "index") ?? 0,
            Str(stream, "codec_name") ?? "unknown",
            Str(stream, "codec_long_name") ?? "",
            Str(stream, "profile"),
            Int(stream, "channels") ?? 0,
            Str(stream, "channel_layout"),
            Int(stream, "sample_rate") ?? 0,
            Str(stream, "sample_fmt"),
            Int(stream, "bits_per_raw_sample") is > 0 and var bits ? bits : null,
            Long(stream, "bit_rate"),
            language is null or "und" ? null : language,
            tags.GetValueOrDefault("title"),
            Disposition(stream, "default"),
            // Matroska keeps per-stream durations in a DURATION tag rather than in the stream header.
            Seconds(Str(stream, "duration")) ?? MatroskaDuration(tags.GetValueOrDefault("DURATION")));
    }

    /// <summary>At most this many tags per container, stream or chapter are kept from a probe.</summary>
    public const int MaxTags = 64;

    /// <summary>Tag values longer than this (1 KiB of characters) are cut.</summary>
    public const int MaxTagChars = 1024;

    private static Dictionary<string, string> Tags(JsonElement element)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            // A file can carry megabytes of tags; what is kept (and stored with the job) is bounded.
            foreach (var property in t.EnumerateObject().Take(MaxTags))
            {
                var value = property.Value.ToString();
                tags[property.Name.Length > 64 ? property.Name[..64] : property.Name] = value.Length > MaxTagChars ? value[..MaxTagChars] + "…" : value;
            }
        }

        return tags;
    }

    private static bool Disposition(JsonElement stream, string name) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == 1;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;

    private static int? Int(JsonElement element, string name) =>
        int.TryParse(Str(element, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(JsonElement element, string name) =>
        long.TryParse(Str(element, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static TimeSpan? Seconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s >= 0
            ? TimeSpan.FromSeconds(s)
            : null;

    private static TimeSpan? MatroskaDuration(string? value) =>
        value is not null && TimeSpan.TryParse(value.Length > 16 ? value[..16] : value, CultureInfo.InvariantCulture, out var t) ? t : null;

    private static double? Rate(string? value)
    {
        var parts = value?.Split('/');
        return parts is [var n, var d]
            && double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den > 0
            ? num / den
            : null;
    }

    [GeneratedRegex(@"\[([\w,]+) @ [^\]]*\] Format not on whitelist")]
    private static partial Regex RefusedDemuxer();
}
