namespace Vexaa.Media;

// Cover art: the runs that make the square JPEG (from a frame or an image) and how the extraction run embeds it.
public static partial class FfmpegArguments
{
    /// <summary>The formats a cover image may come in: ffprobe's names for a single JPEG or PNG file.</summary>
    internal const string ImageFormatWhitelist = "jpeg_pipe,png_pipe,image2";

    // Centre-cropped to a square of even side (4:2:0 JPEG halves the chroma), at most CoverArt.MaxSize, never scaled up.
    private static readonly string Square =
        $"crop='2*trunc(min(iw,ih)/2)':'2*trunc(min(iw,ih)/2)',scale='min({CoverArt.MaxSize},iw)':'min({CoverArt.MaxSize},ih)',setsar=1,format=yuvj420p";

    /// <summary>The extraction run's second input, the cover, for outputs that embed it as a picture stream.</summary>
    private static void AddCoverInput(List<string> args, ExtractionPlan plan)
    {
        if (plan.CoverArt is { } art && plan.Outputs.Any(o => !CoverArt.InComment(o.Muxer)))
        {
            args.AddRange(["-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-f", "jpeg_pipe", "-i", InputUrl(art.Path)]);
        }
    }

    /// <summary>
    /// One output's cover: the JPEG copied in as an attached picture (MP3 APIC, MP4 covr, FLAC PICTURE), or for Ogg,
    /// whose muxer in ffmpeg 5.1 writes no pictures, the FLAC picture block in base64 as a METADATA_BLOCK_PICTURE comment.
    /// </summary>
    private static void AddCover(List<string> args, ExtractionPlan plan, TrackPlan output)
    {
        if (plan.CoverArt is not { } art)
        {
            return;
        }

        args.AddRange(CoverArt.InComment(output.Muxer)
            ? ["-metadata", "METADATA_BLOCK_PICTURE=" + Convert.ToBase64String(art.PictureBlock())]
            : ["-map", "1:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]);
    }

    /// <summary>
    /// One frame of the video at <paramref name="at"/>, as a square JPEG. <paramref name="keyframe"/> takes the keyframe
    /// at or before that time and decodes nothing else (for sampling: one frame's decode however long the video);
    /// otherwise the exact frame, decoded from the keyframe before it. <paramref name="measure"/> logs its mean luma.
    /// </summary>
    internal static List<string> CoverFrame(string input, int streamIndex, TimeSpan at, bool keyframe, string output, int quality, bool measure)
    {
        List<string> args = ["-hide_banner", "-nostdin", "-nostats", "-y", "-v", measure ? "level+info" : "level+error"];
        if (keyframe)
        {
            args.AddRange(["-noaccurate_seek", "-skip_frame", "nokey"]);
        }

        args.AddRange(["-ss", Seconds(at), "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-format_whitelist", ContainerAllowList.FormatWhitelist]);
        // passthrough: a keyframe before the seek point has a negative time, which the default frame-rate handling drops.
        args.AddRange(["-i", InputUrl(input), "-map", "0:" + Num(streamIndex), "-an", "-sn", "-dn", "-frames:v", "1", "-fps_mode", "passthrough"]);
        args.AddRange(["-vf", Square + (measure ? ",signalstats,metadata=print:key=lavfi.signalstats.YAVG" : "")]);
        return [.. args, .. JpegOutput(output, quality)];
    }

    /// <summary>A checked JPEG or PNG (<paramref name="demuxer"/> jpeg_pipe or png_pipe), decoded and encoded anew as a square JPEG.</summary>
    internal static List<string> CoverFromImage(string image, string demuxer, string output, int quality) =>
    [
        "-hide_banner", "-nostdin", "-nostats", "-y", "-v", "level+error",
        "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-format_whitelist", demuxer, "-f", demuxer, "-i", InputUrl(image),
        "-frames:v", "1", "-vf", Square, .. JpegOutput(output, quality),
    ];

    /// <summary>
    /// The most representative of <paramref name="count"/> sampled frames (ffmpeg's thumbnail filter: the frame nearest
    /// the average histogram), read from their JPEGs laid end to end as one MJPEG stream.
    /// </summary>
    internal static List<string> CoverChoice(string candidates, int count, string output, int quality) =>
    [
        "-hide_banner", "-nostdin", "-nostats", "-y", "-v", "level+error",
        "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-format_whitelist", "mjpeg", "-f", "mjpeg", "-i", InputUrl(candidates),
        "-vf", $"thumbnail=n={Num(count)}," + Square, "-frames:v", "1", .. JpegOutput(output, quality),
    ];

    /// <summary>The arguments of ffprobe that reads what a cover image really is, whatever its name says.</summary>
    internal static List<string> ProbeImage(string image) =>
    [
        "-hide_banner", "-v", "error", "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-format_whitelist", ImageFormatWhitelist,
        "-print_format", "json", "-show_format", "-show_streams", InputUrl(image),
    ];

    // A raw MJPEG stream of one frame is exactly one JPEG file (and, unlike image2, never reads the name as a pattern).
    private static string[] JpegOutput(string output, int quality) =>
        ["-c:v", "mjpeg", "-q:v", Num(quality), "-f", "mjpeg", "file:" + output];
}
