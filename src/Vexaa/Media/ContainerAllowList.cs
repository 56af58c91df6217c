namespace Vexaa.Media;

/// <summary>
/// The demuxers VExAA lets ffmpeg use. Everything that can make ffmpeg open another file or a network
/// address (hls, dash, concat, image2 sequences, sdp/rtp, lavfi, tee...) is absent on purpose: those inputs
/// are refused whatever their file extension, because a stranger's upload must never read anything but itself.
/// </summary>
public static class ContainerAllowList
{
    private static readonly string[] Demuxers =
    [
        "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "flv", "asf", "mpegts", "mpeg", "mxf", "dv", "nut", "rm",
        "ogg", "mp3", "aac", "ac3", "eac3", "dts", "truehd", "mlp", "flac", "wav", "w64", "aiff", "caf", "amr",
        "wv", "ape", "tta", "au", "mpc", "mpc8", "loas", "wtv", "dtshd", "dsf", "tak",
    ];

    /// <summary>The value for ffmpeg's <c>-format_whitelist</c>.</summary>
    public static string FormatWhitelist { get; } = string.Join(',', Demuxers);

    /// <summary>Only local files: no http, tcp, pipe, data: or concat: protocols.</summary>
    public const string ProtocolWhitelist = "file";

    private static readonly HashSet<string> Names =
        Demuxers.SelectMany(d => d.Split(',')).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when ffprobe's <c>format_name</c> is one of ours (a defence in depth beside the whitelist).</summary>
    public static bool IsAllowed(string formatName) => formatName.Split(',').Any(Names.Contains);
}
